import { z } from 'zod';

export const faultSettingsSchema = z
  .object({
    /** Share of API requests answered with 429, 0..1. */
    throttleRate: z.number().min(0).max(1),
    /** The `Retry-After` seconds of an injected 429. */
    throttleRetryAfterSeconds: z.number().int().min(0),
    /** Share of API requests answered with 503, 0..1. */
    serverErrorRate: z.number().min(0).max(1),
    /** Delay added before each API request is handled. */
    latencyMs: z.number().int().min(0).max(60_000),
    /** Share of API requests that are carried out and then answered by closing the connection, 0..1. */
    dropConnectionRate: z.number().min(0).max(1),
  })
  .strict();

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export const noFaults: FaultSettings = {
  throttleRate: 0,
  throttleRetryAfterSeconds: 1,
  serverErrorRate: 0,
  latencyMs: 0,
  dropConnectionRate: 0,
};

export function chance(rate: number): boolean {
  return rate > 0 && Math.random() < rate;
}
