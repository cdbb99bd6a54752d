/**
 * Field access for Okta-shaped JSON: names match case-insensitively (old SigmaHQ rules say `eventtype`,
 * new ones `eventType`, research/detections.md §1), dots walk into nested objects, and arrays fan out
 * so `target.displayName` yields every target's name (a match on any element is a match).
 */
export type FieldGetter = (event: unknown) => unknown[];

function childOf(obj: Record<string, unknown>, key: string, lower: string): unknown {
  const direct = obj[key];
  if (direct !== undefined) return direct;
  for (const k in obj) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

/** Compiles a dotted field name once; the getter returns the leaf values found (arrays flattened). */
export function compileFieldGetter(field: string): FieldGetter {
  const parts = field.split('.');
  const lowers = parts.map((p) => p.toLowerCase());
  const rests = parts.map((_, i) => parts.slice(i).join('.'));
  const restLowers = rests.map((r) => r.toLowerCase());
  const walk = (value: unknown, index: number, out: unknown[]): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, index, out);
      return;
    }
    if (index === parts.length) {
      out.push(value);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const obj = value as Record<string, unknown>;
    // A flattened key that itself contains dots ("debugContext.debugData.requestUri") wins first.
    if (index < parts.length - 1) {
      const flat = childOf(obj, rests[index] ?? '', restLowers[index] ?? '');
      if (flat !== undefined) {
        walk(flat, parts.length, out);
        return;
      }
    }
    const child = childOf(obj, parts[index] ?? '', lowers[index] ?? '');
    if (child !== undefined) walk(child, index + 1, out);
  };
  return (event) => {
    const out: unknown[] = [];
    walk(event, 0, out);
    return out;
  };
}

/** Every scalar in the event, for keyword (unnamed field) search. */
export function allScalars(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) allScalars(v, out);
  else if (value !== null && typeof value === 'object')
    for (const k in value) allScalars((value as Record<string, unknown>)[k], out);
  else out.push(value);
  return out;
}
