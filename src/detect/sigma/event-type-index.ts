import { foldCondition, type ConditionAlgebra } from './condition-parser.js';
import { compileFieldGetter } from './field-lookup.js';
import type { SigmaDetection } from './sigma-rule.js';

/**
 * The event types a rule can match at all, when its detection says so: lower-case `eventType`
 * literals (Sigma compares strings case-insensitively), or `undefined` for "any event". The engine
 * uses it to skip rules that cannot match an event's type without running them: most Okta rules
 * name their event types, and a pack of fifty rules then runs three or four per event.
 */
export type EventTypes = ReadonlySet<string> | undefined;

const EVENT_TYPE = 'eventtype';

/** Plain string literals only: a wildcard, an escape or a non-string leaves the search open. */
function literals(value: unknown): Set<string> | undefined {
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) return undefined;
  const out = new Set<string>();
  for (const v of values) {
    if (typeof v !== 'string' || /[*?\\]/.test(v)) return undefined;
    out.add(v.toLowerCase());
  }
  return out;
}

const intersect = (sets: readonly EventTypes[]): EventTypes => {
  const known = sets.filter((s): s is ReadonlySet<string> => s !== undefined);
  if (known.length === 0) return undefined;
  const [first, ...rest] = known;
  return new Set([...first!].filter((t) => rest.every((s) => s.has(t))));
};

const unite = (sets: readonly EventTypes[]): EventTypes =>
  sets.some((s) => s === undefined) ? undefined : new Set(sets.flatMap((s) => [...s!]));

/** A map requires all its entries; only unmodified `eventType` entries constrain the type. */
function ofMap(map: Record<string, unknown>): EventTypes {
  return intersect(
    Object.entries(map).map(([key, value]) => {
      const [field = '', ...modifiers] = key.split('|');
      return field.toLowerCase() === EVENT_TYPE && modifiers.length === 0 ? literals(value) : undefined;
    }),
  );
}

function ofSearch(value: unknown): EventTypes {
  const isMap = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isMap(value)) return ofMap(value);
  if (Array.isArray(value) && value.length > 0 && value.every(isMap)) return unite(value.map(ofMap));
  return undefined;
}

const SETS: ConditionAlgebra<EventTypes> = {
  and: intersect,
  or: unite,
  not: () => undefined,
};

/** The event types `detection` can match, folded through its conditions (several conditions: any). */
export function requiredEventTypes(detection: SigmaDetection): EventTypes {
  const identifiers = new Map<string, EventTypes>();
  for (const [name, value] of Object.entries(detection.identifiers)) identifiers.set(name, ofSearch(value));
  return unite(
    detection.conditions.map((c) => foldCondition(c, identifiers, SETS, ['detection', 'condition'])),
  );
}

const eventTypeOf = compileFieldGetter('eventType');
const MAX_CACHED_TYPES = 10_000;

/**
 * Per event type, the rules that may match it, in rule order, built on first sight of each type.
 * An event whose type is not one plain string (hostile input) gets every rule.
 */
export class EventTypeIndex<R> {
  readonly #byType = new Map<string, readonly R[]>();

  constructor(private readonly rules: readonly { readonly rule: R; readonly types: EventTypes }[]) {}

  candidates(event: unknown): readonly R[] {
    const found = eventTypeOf(event);
    const type = found.length === 1 && typeof found[0] === 'string' ? found[0].toLowerCase() : undefined;
    if (type === undefined) return this.rules.map((r) => r.rule);
    let list = this.#byType.get(type);
    if (!list) {
      list = this.rules.filter((r) => r.types === undefined || r.types.has(type)).map((r) => r.rule);
      // A flood of made-up types must not grow memory without bound.
      if (this.#byType.size < MAX_CACHED_TYPES) this.#byType.set(type, list);
    }
    return list;
  }
}
