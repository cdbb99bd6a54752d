import type { Kysely } from 'kysely';
import type { VigilDatabase } from '../store/database-schema.js';

/** One stored event, verbatim, as an alert names it. */
export interface StoredEvent {
  readonly source: string;
  readonly eventId: string;
  /** The exact JSON text the provider sent. */
  readonly raw: string;
}

/**
 * The stored events with these provider ids (an alert's triggering events), in the order given;
 * ids not in the store are left out. Only the verbatim text is read: the query columns are derived
 * from it and could disagree with it on a tampered store.
 */
export async function eventsById(
  db: Kysely<VigilDatabase>,
  ids: readonly string[],
  source?: string,
): Promise<StoredEvent[]> {
  if (ids.length === 0) return [];
  let query = db
    .selectFrom('events')
    .select(['source', 'provider_id', 'raw'])
    .where('provider_id', 'in', ids);
  if (source !== undefined) query = query.where('source', '=', source);
  const rows = await query.execute();
  const byId = new Map(rows.map((r) => [r.provider_id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [{ source: row.source, eventId: row.provider_id, raw: row.raw }] : [];
  });
}
