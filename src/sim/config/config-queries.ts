import { OktaApiError, validationFailed } from '../errors.js';
import type { FamilyName } from './config-families.js';
import type { ConfigObject } from './config-model.js';
import { POLICY_TYPES } from '../../sources/okta/policy-types.js';

/** Page sizes of each paged list: Okta's default and maximum `limit`. */
export const PAGING: Partial<
  Record<FamilyName | 'assignees', { readonly byDefault: number; readonly max: number }>
> = {
  policy: { byDefault: 20, max: 200 },
  'policy-rule': { byDefault: 20, max: 200 },
  zone: { byDefault: 20, max: 200 },
  app: { byDefault: 20, max: 200 },
  idp: { byDefault: 20, max: 200 },
  'log-stream': { byDefault: 20, max: 200 },
  'trusted-origin': { byDefault: 20, max: 200 },
  'api-token': { byDefault: 20, max: 200 },
  group: { byDefault: 200, max: 1000 },
  assignees: { byDefault: 100, max: 100 },
};

/** Fields each list's `filter` may name (`eq` only, clauses joined by `and` or by `or`). */
const FILTERABLE: Partial<Record<FamilyName, readonly string[]>> = {
  zone: ['id', 'usage', 'system'],
  app: ['id', 'status', 'name'],
  'log-stream': ['type', 'status'],
  'trusted-origin': ['name', 'origin', 'status'],
  group: ['id', 'type'],
};

/**
 * The objects a list request selects, in Okta's order: the family's query parameters (`type`,
 * `status`, `q`, `filter`) applied, policies and rules by priority.
 */
export function selectObjects(
  family: FamilyName,
  objects: ConfigObject[],
  query: URLSearchParams,
): ConfigObject[] {
  let out = objects;
  if (family === 'policy') {
    const type = query.get('type');
    if (type === null || !(POLICY_TYPES as readonly string[]).includes(type)) {
      throw validationFailed(
        type === null
          ? 'type: The type parameter is required'
          : `type: '${type}' is not a policy type (${POLICY_TYPES.join(', ')})`,
      );
    }
    out = out.filter((p) => p['type'] === type);
  }
  const status = query.get('status');
  if (status !== null && (family === 'policy' || family === 'idp')) {
    if (status !== 'ACTIVE' && status !== 'INACTIVE')
      throw validationFailed(`status: '${status}' is not ACTIVE or INACTIVE`);
    out = out.filter((o) => o['status'] === status);
  }
  const type = query.get('type');
  if (type !== null && family === 'idp') out = out.filter((o) => o['type'] === type);
  const q = query.get('q')?.toLowerCase();
  if (q) out = out.filter((o) => searchText(family, o).some((t) => t.toLowerCase().startsWith(q)));
  const filter = query.get('filter');
  if (filter !== null && filter !== '') out = out.filter(parseFilter(family, filter));
  if (family === 'policy' || family === 'policy-rule') {
    out = [...out].sort((a, b) => Number(a['priority']) - Number(b['priority']));
  }
  return out;
}

function searchText(family: FamilyName, o: ConfigObject): string[] {
  if (family === 'app') return [String(o['label']), String(o['name'])];
  if (family === 'group') return [String((o['profile'] as ConfigObject | undefined)?.['name'] ?? '')];
  if (family === 'trusted-origin') return [String(o['name']), String(o['origin'])];
  return [String(o['name'] ?? '')];
}

/** `field eq "value"` (or `true`/`false`) clauses joined all by `and` or all by `or`. */
function parseFilter(family: FamilyName, filter: string): (o: ConfigObject) => boolean {
  const fields = FILTERABLE[family];
  const invalid = (why: string) =>
    new OktaApiError(400, 'E0000031', 'Invalid search criteria.', [`filter: ${why}`]);
  if (!fields) throw invalid('this list takes no filter');
  const joiner = / and /i.test(filter) ? ' and ' : ' or ';
  if (/ and /i.test(filter) && / or /i.test(filter)) throw invalid('mixing and with or is not supported');
  const clauses = filter.split(new RegExp(joiner, 'i')).map((clause) => {
    const m = /^\s*([A-Za-z]+)\s+eq\s+(?:"([^"]*)"|(true|false))\s*$/.exec(clause);
    if (!m) throw invalid(`'${clause.trim()}' is not <field> eq "<value>"`);
    const [, field, text, bool] = m;
    if (!fields.includes(field!)) throw invalid(`'${field}' cannot be filtered on (${fields.join(', ')})`);
    const value: unknown = bool === undefined ? text : bool === 'true';
    return (o: ConfigObject) => o[field!] === value;
  });
  return joiner === ' and ' ? (o) => clauses.every((c) => c(o)) : (o) => clauses.some((c) => c(o));
}

/**
 * One page: `limit` (1..max, else 400) objects after the object whose id is `after` (an id no
 * longer in the list is a 400: the cursor is stale). `next` is the cursor of the following page.
 */
export function pageOf<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  query: URLSearchParams,
  paging: { byDefault: number; max: number },
): { page: T[]; next?: string } {
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? paging.byDefault : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > paging.max) {
    throw validationFailed(`limit: must be an integer from 1 to ${paging.max}, got '${rawLimit}'`);
  }
  const after = query.get('after');
  let start = 0;
  if (after !== null) {
    const index = items.findIndex((item) => idOf(item) === after);
    if (index < 0) throw validationFailed(`after: '${after}' names no object of this list`);
    start = index + 1;
  }
  const page = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return more && page.length > 0 ? { page, next: idOf(page[page.length - 1]!) } : { page };
}
