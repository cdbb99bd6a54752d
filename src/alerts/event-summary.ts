/** One triggering event in a line's worth of fields (`vigil alerts show`). */
export interface EventSummary {
  readonly id: string;
  readonly published: string;
  readonly eventType: string;
  readonly actor: string;
  readonly targets: readonly string[];
  readonly ip?: string;
  readonly place?: string;
  readonly outcome?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const at = (v: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), v);

/**
 * Summarises a stored event from its verbatim JSON. The text is whatever the provider sent, so
 * nothing is assumed about its shape: a field that is missing or of another type is left out.
 * People are named by login (alternateId), else display name, else id.
 */
export function summariseEvent(id: string, raw: string): EventSummary {
  let event: unknown;
  try {
    event = JSON.parse(raw);
  } catch {
    event = undefined;
  }
  const who = (node: unknown): string | undefined => {
    const login = text(at(node, 'alternateId'));
    return (login === 'unknown' ? undefined : login) ?? text(at(node, 'displayName')) ?? text(at(node, 'id'));
  };
  const targets = at(event, 'target');
  const ip = text(at(event, 'client', 'ipAddress'));
  const place = [
    at(event, 'client', 'geographicalContext', 'city'),
    at(event, 'client', 'geographicalContext', 'country'),
  ]
    .map(text)
    .filter((p): p is string => p !== undefined)
    .join(', ');
  const outcome = [text(at(event, 'outcome', 'result')), text(at(event, 'outcome', 'reason'))]
    .filter(Boolean)
    .join(': ');
  return {
    id,
    published: text(at(event, 'published')) ?? '?',
    eventType: text(at(event, 'eventType')) ?? '?',
    actor: who(at(event, 'actor')) ?? '?',
    targets: Array.isArray(targets) ? targets.map((t) => who(t) ?? '?') : [],
    ...(ip === undefined || ip === 'null' ? {} : { ip }),
    ...(place ? { place } : {}),
    ...(outcome ? { outcome } : {}),
  };
}
