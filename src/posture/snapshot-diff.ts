import { canonicalize } from '../ledger/jcs.js';
import type { ConfigSnapshot } from './config-snapshot.js';

/** One difference between two snapshots: an object added or removed, or one field of it changed. */
export interface ConfigChange {
  /** The object's API path. */
  readonly resource: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** RFC 6901 JSON pointer of the field inside the object; null for a whole object. */
  readonly field: string | null;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * Fields that change on their own or only say that something changed: `_links` (hypermedia) and
 * `lastUpdated`/`lastUsed` timestamps. A change below the application need not touch them, and one
 * made through the API changes them beside the fields that matter, so they are left out of diffs.
 */
const VOLATILE = new Set(['_links', '_embedded', 'lastUpdated', 'lastUsed', 'lastUsedAt']);

const escapePointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const same = (a: unknown, b: unknown) => canonicalize(a ?? null) === canonicalize(b ?? null);

/**
 * What changed from `before` to `after`, object by object and field by field, in resource order.
 * Objects are compared member by member down to leaves; arrays are compared whole (an array's
 * order is part of the configuration: zone gateways, constraint lists), so one changed element
 * reports the array's field with both arrays.
 */
export function diffSnapshots(before: ConfigSnapshot, after: ConfigSnapshot): ConfigChange[] {
  const changes: ConfigChange[] = [];
  const resources = [...new Set([...Object.keys(before.objects), ...Object.keys(after.objects)])].sort();
  for (const resource of resources) {
    const inBefore = Object.hasOwn(before.objects, resource);
    const inAfter = Object.hasOwn(after.objects, resource);
    if (!inBefore)
      changes.push({ resource, change: 'added', field: null, before: null, after: after.objects[resource] });
    else if (!inAfter)
      changes.push({
        resource,
        change: 'removed',
        field: null,
        before: before.objects[resource],
        after: null,
      });
    else diffValue(resource, '', before.objects[resource], after.objects[resource], changes);
  }
  return changes;
}

function diffValue(resource: string, pointer: string, a: unknown, b: unknown, out: ConfigChange[]): void {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      if (VOLATILE.has(key)) continue;
      diffValue(resource, `${pointer}/${escapePointer(key)}`, a[key], b[key], out);
    }
    return;
  }
  if (!same(a, b))
    out.push({ resource, change: 'changed', field: pointer || '', before: a ?? null, after: b ?? null });
}
