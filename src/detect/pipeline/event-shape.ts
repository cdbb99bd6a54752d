import type { OktaLogEvent } from '../../sources/okta/log-event.js';

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
