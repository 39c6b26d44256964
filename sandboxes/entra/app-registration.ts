import { z } from 'zod';

export const appRegistrationSchema = z.object({
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
});

/** The Entra app registration the sandbox tenant knows: the only client allowed to get tokens. */
export type AppRegistration = z.infer<typeof appRegistrationSchema>;

export const defaultAppRegistration: AppRegistration = {
  tenantId: '00000000-0000-4000-8000-00000000f5f0',
  clientId: '00000000-0000-4000-8000-0000000c11e7',
  clientSecret: 'sandbox-client-secret',
};
