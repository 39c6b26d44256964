import type { z } from 'zod';
import { parseJson } from '../http/json';
import type { SandboxRequest, SandboxResponse } from '../http/types';
import { controlError } from './control-router';

/** Validates a control request's JSON body (an empty body counts as `{}`). */
export function readControlBody<Schema extends z.ZodType>(
  request: SandboxRequest,
  schema: Schema,
): { ok: true; value: z.infer<Schema> } | { ok: false; response: SandboxResponse } {
  const json = request.body.length === 0 ? {} : parseJson(request.body);
  const result = schema.safeParse(json);
  if (!result.success) {
    return { ok: false, response: controlError(400, `Invalid body: ${result.error.message}`) };
  }
  return { ok: true, value: result.data };
}
