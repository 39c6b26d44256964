import type { z } from 'zod';
import { D365Error, type D365Service } from '../errors';

/** The service answered 2xx with something the product cannot use: a contract problem, not a transient one. */
export function invalidResponse(service: D365Service, operation: string, problem: string): D365Error {
  return new D365Error({ service, kind: 'invalid-response', operation, serviceMessage: problem });
}

export function parseJson(service: D365Service, operation: string, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw invalidResponse(service, operation, 'the response body is not JSON');
  }
}

export function parseRecord<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  service: D365Service,
  operation: string,
): z.infer<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`,
  );
  throw invalidResponse(service, operation, `unexpected record shape: ${issues.join('; ')}`);
}
