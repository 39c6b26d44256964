/**
 * The organization and the application user a Web API caller acts as unless it impersonates a user
 * (`users.ts`).
 */
export const organizationId = '00000000-0000-4000-8000-00000000e001';
export const businessUnitId = '00000000-0000-4000-8000-0000000b0001';
export const applicationUserId = '00000000-0000-4000-8000-0000000a0001';
/** The organization's unique name, as a real environment's `orgxxxxxxxx`. */
export const organizationName = 'fsfosandbox';
