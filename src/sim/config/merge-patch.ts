/**
 * JSON merge patch (RFC 7396): an object patch merges member by member (`null` removes a member),
 * anything else replaces the target whole. Members are copied with `Object.fromEntries`, so a hostile
 * `__proto__` key stays an ordinary own property and never reaches a prototype.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const members = new Map<string, unknown>(isPlainObject(target) ? Object.entries(target) : []);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) members.delete(key);
    else members.set(key, mergePatch(members.get(key), value));
  }
  return Object.fromEntries(members);
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
