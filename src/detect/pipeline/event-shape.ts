import { z } from 'zod';
import { oktaLogEventSchema, type OktaLogEvent } from '../../sources/okta/log-event.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const objectOrAbsent = (v: unknown) => v === undefined || v === null || isObject(v);

/**
 * Whether an event has the structure the stateful detectors read without checking: an actor with a
 * string id and type, targets (if any) as an array of objects, and objects (if any) where Okta puts
 * them. Custody stores whatever the provider sent, so a hostile or hand-written event may not. Sigma
 * rules still see every event; a misshapen one only skips the detectors, it never stops detection.
 * Cheap on purpose: it runs on every event, where a full schema parse would cost more than the pack.
 */
export function hasDetectorShape(event: unknown): event is OktaLogEvent {
  if (!isObject(event)) return false;
  const actor = event['actor'];
  if (!isObject(actor) || typeof actor['id'] !== 'string' || typeof actor['type'] !== 'string') return false;
  const target = event['target'];
  if (target !== undefined && target !== null && !(Array.isArray(target) && target.every(isObject)))
    return false;
  return (
    objectOrAbsent(event['client']) &&
    objectOrAbsent(event['outcome']) &&
    objectOrAbsent(event['securityContext']) &&
    objectOrAbsent(event['authenticationContext']) &&
    objectOrAbsent(event['debugContext']) &&
    objectOrAbsent(event['transaction'])
  );
}

/** Where an event read leniently differs from Okta's exact `LogEvent` shape, and what was done. */
export interface ShapeDeviation {
  /** Dotted path of the field (`actor.alternateId`, `target.0.type`). */
  readonly field: string;
  readonly message: string;
}

/**
 * An event from an export made by another tool (a SIEM, a script), read as far as it can be: keys
 * spelt in another case are read under Okta's spelling, and every way the result still differs from
 * Okta's exact shape (a missing `version`, a number where Okta sends a string, a field Okta does not
 * send) is reported as a deviation, not a refusal. Values are kept as they are: Sigma rules read
 * them as they are, and the stateful detectors skip an event whose structure they cannot read
 * (`hasDetectorShape`).
 */
export function readLenientEvent(value: Record<string, unknown>): {
  event: Record<string, unknown>;
  deviations: ShapeDeviation[];
} {
  const deviations: ShapeDeviation[] = [];
  const event = withOktaKeyCase(value, oktaLogEventSchema, [], deviations) as Record<string, unknown>;
  const strict = oktaLogEventSchema.safeParse(event);
  if (!strict.success)
    for (const issue of strict.error.issues) {
      if (issue.code === 'unrecognized_keys')
        for (const key of issue.keys)
          deviations.push({
            field: [...issue.path, key].join('.'),
            message: 'not a field Okta sends (kept)',
          });
      else deviations.push({ field: issue.path.join('.') || '(event)', message: issue.message });
    }
  return { event, deviations };
}

/** The object or array schema under optional/nullable/default wrappers, if any. */
function container(schema: z.ZodTypeAny): z.AnyZodObject | z.ZodArray<z.ZodTypeAny> | undefined {
  let s: z.ZodTypeAny = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault)
    s = s._def.innerType as z.ZodTypeAny;
  return s instanceof z.ZodObject || s instanceof z.ZodArray ? s : undefined;
}

/** A copy of `value` with each key Okta spells otherwise (`EventType`, `ACTOR`) renamed, recursively. */
function withOktaKeyCase(
  value: unknown,
  schema: z.ZodTypeAny,
  at: readonly (string | number)[],
  deviations: ShapeDeviation[],
): unknown {
  const shape = container(schema);
  if (shape instanceof z.ZodArray)
    return Array.isArray(value)
      ? value.map((item, i) => withOktaKeyCase(item, shape.element, [...at, i], deviations))
      : value;
  if (!shape || !isObject(value)) return value;
  const known = shape.shape as Record<string, z.ZodTypeAny>;
  const byLowerCase = new Map(Object.keys(known).map((k) => [k.toLowerCase(), k]));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const okta = key in known ? key : (byLowerCase.get(key.toLowerCase()) ?? key);
    if (okta !== key) {
      if (okta in value) {
        out[key] = inner; // both spellings present: Okta's wins, the other is reported as unknown
        continue;
      }
      deviations.push({ field: [...at, key].join('.'), message: `read as '${okta}' (Okta's spelling)` });
    }
    out[okta] = known[okta] ? withOktaKeyCase(inner, known[okta], [...at, okta], deviations) : inner;
  }
  return out;
}
