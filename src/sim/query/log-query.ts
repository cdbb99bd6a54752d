import { invalidFilter, OktaApiError, validationFailed } from '../errors.js';
import { SimLogStore, type HeldEvent } from '../log-store.js';
import { matchesKeywords, parseKeywords } from './keyword-search.js';
import { matchesFilter, parseScimFilter, type FilterNode } from './scim-filter.js';

const DAY = 86_400_000;
export const RETENTION_MS = 90 * DAY;
const MAX_SINCE_AGE_MS = 180 * DAY;

export interface LogQuery {
  readonly mode: 'polling' | 'bounded';
  readonly sinceMs?: number;
  readonly untilMs?: number;
  /**
   * Where the previous page ended. Polling: a persistence time and how many events at exactly that
   * time were returned (`<ms>_<n>`, Okta's own shape). Bounded: the last event returned, by published
   * time and id (`<ms>_<uuid>`), so events committed meanwhile cannot shift it.
   */
  readonly after?: { ms: number; n: number } | { ms: number; id: string };
  readonly filter?: FilterNode;
  readonly keywords: string[];
  readonly limit: number;
  readonly descending: boolean;
}

export interface LogPage {
  readonly events: HeldEvent[];
  /** The `after` token of the next page; undefined on the last bounded page. */
  readonly nextAfter?: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

function parseDate(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = ISO.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    // Okta's exact causes for a bad date (okta-api.md §1.8).
    throw new OktaApiError(400, 'E0000001', `Api validation failed: ${name}`, [
      `${name}: The date format in your query is not recognized. Please enter dates using ISO8601 string format.`,
      `${name}: must be a valid date-time or empty.`,
    ]);
  }
  return ms;
}

/** Parses and validates `GET /api/v1/logs` query parameters as Okta does. */
export function parseLogQuery(params: URLSearchParams, nowMs: number): LogQuery {
  const sinceMs = parseDate('since', params.get('since') ?? undefined);
  const untilMs = parseDate('until', params.get('until') ?? undefined);
  const afterRaw = params.get('after');
  // Mutually exclusive for polling; Okta's own bounded next links carry since, until and after
  // together (okta-api.md §1.4), so a bounded request may.
  if (afterRaw !== null && params.get('since') && untilMs === undefined) {
    throw validationFailed('since: since and after are mutually exclusive and cannot be specified together');
  }
  let after: LogQuery['after'];
  if (afterRaw !== null) {
    const m = /^(\d{1,15})_(?:(\d{1,9})|([0-9a-zA-Z-]{10,64}))$/.exec(afterRaw);
    if (!m) throw validationFailed('after: The after cursor is invalid');
    after = m[2] !== undefined ? { ms: Number(m[1]), n: Number(m[2]) } : { ms: Number(m[1]), id: m[3]! };
  }
  const limitRaw = params.get('limit');
  const limit = limitRaw === null ? 100 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 0 || limit > 1000 || !/^\d+$/.test(limitRaw ?? '0')) {
    throw validationFailed('limit: Integer between 0 and 1000');
  }
  const sortOrder = params.get('sortOrder') ?? 'ASCENDING';
  if (sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING') {
    throw validationFailed('sortOrder: must be ASCENDING or DESCENDING');
  }
  if (sinceMs !== undefined && sinceMs < nowMs - MAX_SINCE_AGE_MS) {
    throw invalidFilter('Invalid parameter: The since parameter is over 180 days prior to the current day.');
  }
  const filterRaw = params.get('filter');
  const filter = filterRaw ? parseScimFilter(filterRaw) : undefined;
  const keywords = parseKeywords(params.get('q') ?? undefined);
  // okta-api.md §1.3: polling = `until` absent and ascending; anything else is bounded.
  const descending = sortOrder === 'DESCENDING';
  const mode = untilMs === undefined && !descending ? 'polling' : 'bounded';
  if (after && 'n' in after !== (mode === 'polling'))
    throw validationFailed('after: The after cursor is invalid');
  return {
    mode,
    ...(sinceMs === undefined ? {} : { sinceMs }),
    ...(untilMs === undefined ? {} : { untilMs }),
    ...(after ? { after } : {}),
    ...(filter ? { filter } : {}),
    keywords,
    limit,
    descending,
  };
}

const matches = (q: LogQuery, held: HeldEvent) =>
  (!q.filter || matchesFilter(q.filter, held.event)) &&
  (q.keywords.length === 0 || matchesKeywords(q.keywords, SimLogStore.searchText(held)));

/**
 * Runs a query against what is visible now: committed (persisted) events inside retention. Polling
 * cursors are `<ms>_<n>`: a persistence time and how many events at exactly that time were already
 * returned — the shape Okta's own `after` values have (okta-api.md §1.4). Bounded cursors name the
 * last event returned (`<ms>_<uuid>`; Okta's documented bounded example is an event id).
 */
export function runLogQuery(store: SimLogStore, q: LogQuery, nowMs: number): LogPage {
  const retentionStart = nowMs - RETENTION_MS;
  return q.mode === 'polling'
    ? poll(store, q, nowMs, retentionStart)
    : bounded(store, q, nowMs, retentionStart);
}

function poll(store: SimLogStore, q: LogQuery, nowMs: number, retentionStart: number): LogPage {
  const all = store.byPersistence;
  const after = q.after && 'n' in q.after ? q.after : undefined;
  const startMs = after?.ms ?? q.sinceMs ?? nowMs - 7 * DAY;
  let i = store.persistenceIndexAt(startMs) + (after?.n ?? 0);
  const events: HeldEvent[] = [];
  let cursor = after ?? { ms: startMs, n: 0 };
  while (i < all.length && events.length < q.limit) {
    const held = all[i]!;
    if (held.persistedMs > nowMs) break;
    i++;
    cursor =
      held.persistedMs === cursor.ms ? { ms: cursor.ms, n: cursor.n + 1 } : { ms: held.persistedMs, n: 1 };
    if (held.publishedMs >= retentionStart && matches(q, held)) events.push(held);
  }
  // okta-api.md §1.3: polling always has a next link, even on an empty page (then it points here).
  return { events, nextAfter: `${cursor.ms}_${cursor.n}` };
}

function bounded(store: SimLogStore, q: LogQuery, nowMs: number, retentionStart: number): LogPage {
  const untilMs = q.untilMs ?? nowMs;
  const sinceMs = Math.max(q.sinceMs ?? untilMs - 7 * DAY, retentionStart);
  const all = store.byPublished;
  let lo = store.publishedIndexAt(sinceMs);
  let hi = store.publishedIndexAt(untilMs);
  const after = q.after && 'id' in q.after ? q.after : undefined;
  // Past the last event returned, in the query's order, wherever later commits put other events.
  if (after && !q.descending) lo = Math.max(lo, store.publishedPositionOf(after.ms, after.id, true));
  if (after && q.descending) hi = Math.min(hi, store.publishedPositionOf(after.ms, after.id, false));
  const events: HeldEvent[] = [];
  let more = false;
  for (let k = 0; k < hi - lo; k++) {
    const held = all[q.descending ? hi - 1 - k : lo + k]!;
    // "Not all events for the specified time range may be present": uncommitted ones are not.
    if (held.persistedMs > nowMs || !matches(q, held)) continue;
    if (events.length === q.limit) {
      more = q.limit > 0;
      break;
    }
    events.push(held);
  }
  const last = events.at(-1);
  return more && last ? { events, nextAfter: `${last.publishedMs}_${last.event.uuid}` } : { events };
}
