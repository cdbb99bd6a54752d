import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { VigilDatabase } from '../store/database-schema.js';

export interface EventFilter {
  readonly source?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  /** An event type; a trailing `*` matches a prefix (exactly: event types are lower case). */
  readonly type?: string;
  /** An actor id or login. */
  readonly actor?: string;
  /** Part of a target id or name. */
  readonly target?: string;
  readonly ip?: string;
  readonly outcome?: string;
  /** Free text in the verbatim event. */
  readonly text?: string;
  readonly limit: number;
}

/** One stored event as a search returns it: the columns a listing shows, and the verbatim JSON. */
export interface FoundEvent {
  readonly source: string;
  readonly published: string;
  readonly eventType: string;
  readonly actor: string | null;
  readonly clientIp: string | null;
  readonly outcome: string | null;
  readonly raw: string;
}

/**
 * `column LIKE pattern ESCAPE '\'` with the user's text taken literally: `%` and `_` in a search
 * are characters to find, not wildcards (`--text %` once matched every event).
 */
function like(
  column: 'raw' | 'target_ids' | 'target_names',
  before: string,
  text: string,
  after: string,
): RawBuilder<boolean> {
  const literal = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<boolean>`${sql.ref(column)} like ${before + literal + after} escape '\\'`;
}

/**
 * The sources that have events, each found by one seek on the (source, published) index: a loose
 * index scan written as a recursive query, so its cost is the number of sources, not of events.
 */
export async function sourcesWithEvents(db: Kysely<VigilDatabase>): Promise<string[]> {
  const { rows } = await sql<{ source: string | null }>`
    with recursive s(source) as (
      select min(source) from events
      union all
      select (select min(source) from events where source > s.source) from s where s.source is not null
    )
    select source from s where source is not null`.execute(db);
  return rows.map((r) => r.source!);
}

/**
 * Searches stored events, newest first (`vigil events`, the console, posture and containment).
 *
 * Newest first over every source is not an order any index holds (the published-time index leads
 * with the source): SQLite would read and sort the whole store for `vigil events --limit 1`. Unless a
 * filter has an index of its own (actor, address, exact type), each source is searched along its
 * own index, newest first, stopping at the limit, and the answers are merged.
 */
export async function searchEvents(db: Kysely<VigilDatabase>, f: EventFilter): Promise<FoundEvent[]> {
  const indexed = f.actor || f.ip || (f.type && !f.type.endsWith('*'));
  const found =
    f.source || indexed
      ? await searchOne(db, f)
      : (await Promise.all((await sourcesWithEvents(db)).map((source) => searchOne(db, { ...f, source }))))
          .flat()
          .sort((a, b) => b.publishedMs - a.publishedMs || a.source.localeCompare(b.source))
          .slice(0, f.limit);
  return found.map(({ publishedMs: _, ...event }) => event);
}

async function searchOne(
  db: Kysely<VigilDatabase>,
  f: EventFilter,
): Promise<(FoundEvent & { publishedMs: number })[]> {
  const { actor, target } = f;
  let q = db.selectFrom('events').selectAll();
  // One object's history (a type and a target, as posture and containment ask): the target cannot
  // use an index and is rare, so the type's index bounds the rows read; the source, written `+source`,
  // is then checked on those rows instead of steering SQLite to read the source newest first until
  // a match, which is the whole source when the object has no event (once 100 ms per question on
  // 200,000 events, three seconds per incremental run).
  const byType = f.type !== undefined && target !== undefined;
  if (f.source) q = q.where(byType ? sql.raw('+source') : sql.ref('source'), '=', f.source);
  if (f.fromMs !== undefined) q = q.where('published_ms', '>=', f.fromMs);
  if (f.toMs !== undefined) q = q.where('published_ms', '<', f.toMs);
  if (f.type) {
    // A prefix as a range, so the (type, published) index serves it; event types are lower case,
    // and the match is exact, as for a whole type.
    const prefix = f.type.endsWith('*') ? f.type.slice(0, -1) : undefined;
    q =
      prefix === undefined
        ? q.where('event_type', '=', f.type)
        : prefix === ''
          ? q
          : q.where('event_type', '>=', prefix).where('event_type', '<', `${prefix}\u{10FFFF}`);
  }
  if (actor) q = q.where((eb) => eb.or([eb('actor_id', '=', actor), eb('actor_alternate_id', '=', actor)]));
  if (target)
    q = q.where((eb) =>
      eb.or([like('target_ids', '%', target, '%'), like('target_names', '%', target, '%')]),
    );
  if (f.ip) q = q.where('client_ip', '=', f.ip);
  if (f.outcome) q = q.where('outcome_result', '=', f.outcome.toUpperCase());
  if (f.text) q = q.where(like('raw', '%', f.text, '%'));
  const rows = await q.orderBy('published_ms', 'desc').limit(f.limit).execute();
  return rows.map((r) => ({
    publishedMs: Number(r.published_ms),
    source: r.source,
    published: r.published,
    eventType: r.event_type,
    actor: r.actor_alternate_id ?? r.actor_id,
    clientIp: r.client_ip,
    outcome: r.outcome_result,
    raw: r.raw,
  }));
}
