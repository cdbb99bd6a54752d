import { OktaApiError } from '../errors.js';
import type { ConfigFamily } from './config-families.js';
import type { ConfigObject } from './config-model.js';

/**
 * Checks an object against its family's schema: the object itself when it passes, else Okta's
 * 400 E0000001 with one cause per broken field (`path: message`).
 */
export function validated(family: ConfigFamily, object: ConfigObject): ConfigObject {
  const result = family.schema.safeParse(object);
  if (result.success) return object;
  const causes = result.error.issues.map((i) => `${i.path.join('.') || family.kind}: ${i.message}`);
  throw new OktaApiError(400, 'E0000001', `Api validation failed: ${family.kind}`, causes);
}

/** Okta's 404 for a path that names no object: "Not found: Resource not found: <id> (<kind>)". */
export function notFound(path: string, kind?: string): OktaApiError {
  const id = path.slice(path.lastIndexOf('/') + 1);
  return new OktaApiError(404, 'E0000007', `Not found: Resource not found: ${id} (${kind ?? 'Resource'})`);
}
