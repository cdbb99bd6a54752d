import type { z } from 'zod';
import { VigilError } from '../core/vigil-error.js';

/**
 * A request's query, parameters or body checked against the route's schema: a coded 400 naming the
 * field and what is wrong with it, never a stack (docs/design.md "Errors").
 */
export function requestInput<S extends z.ZodTypeAny>(schema: S, value: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data as z.infer<S>;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : where;
  throw new VigilError('CONSOLE_BAD_REQUEST', `${where}: ${field}: ${issue?.message ?? 'invalid'}`, {
    category: 'input',
    details: { field },
  });
}

/** An RFC 3339 time in a query, as epoch ms. */
export function isoMs(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(value) || Number.isNaN(ms))
    throw new VigilError('CONSOLE_BAD_REQUEST', `${field}: not an RFC 3339 time: ${value}`, {
      category: 'input',
      details: { field },
    });
  return ms;
}
