import { sql, type Kysely } from 'kysely';
import { ledgerLog } from '../../ledger/ledger-log.js';
import type { VigilDatabase } from '../../store/database-schema.js';
import type { Incident } from '../incident/incident.js';

/** A signed checkpoint the report stands on. */
export interface CheckpointRef {
  readonly treeSize: number;
  /** Standard base64, as in the note. */
  readonly rootHash: string;
  /** When this store signed it (its own clock), RFC 3339. */
  readonly signedAt: string;
  /** Witnesses whose cosignature of this size the store keeps. */
  readonly witnesses: readonly string[];
}

/** A configuration snapshot (posture) near the window, by its record in `<source>/config-snapshots`. */
export interface SnapshotRef {
  readonly id: string;
  readonly time: string;
  readonly leafIndex: number;
}

/**
 * What the report's claims rest on (posture-ecosystem.md §5 skeleton item 2): the signed checkpoint
 * every proof is against, the first one signed after the window closed, how complete the copy of
 * the window is, and the configuration snapshots before and after it when posture runs.
 */
export interface EvidenceBasis {
  readonly log: string;
  /** The newest checkpoint: every inclusion proof in the report is against it. */
  readonly checkpoint: CheckpointRef & { readonly note: string };
  /** The first checkpoint signed after the window closed, if any: the window was under signature from then on. */
  readonly firstAfterWindow?: CheckpointRef;
  /** Checkpoints signed while the window was open. */
  readonly checkpointsInWindow: number;
  /** Events the store holds with a published time in the window. */
  readonly eventsInWindow: number;
  /** Where collection of the source stood: the newest published time it has seen. */
  readonly collectedUpTo?: string;
  /** The oldest stored event's published time. */
  readonly oldestStored?: string;
  /** Pages the collector could not store, of this source, ever (`quarantine`). */
  readonly quarantinedPages: number;
  /** Events in the window the provider later re-served with other bytes (the stored copy is the evidence). */
  readonly rewrittenEvents: readonly string[];
  /** Each way the copy of the window may be incomplete, in words; empty when none is known. */
  readonly gaps: readonly string[];
  readonly posture: { readonly before?: SnapshotRef; readonly after?: SnapshotRef };
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function evidenceBasis(db: Kysely<VigilDatabase>, incident: Incident): Promise<EvidenceBasis> {
  const log = incident.source;
  const fromMs = Date.parse(incident.from);
  const toMs = Date.parse(incident.to);
  const checkpointQuery = () =>
    db
      .selectFrom('checkpoints')
      .select(['tree_size', 'root_hash', 'note', 'created_at_ms'])
      .where('source', '=', log);
  const latest = await checkpointQuery().orderBy('id', 'desc').limit(1).executeTakeFirst();
  const after = await checkpointQuery()
    .where('created_at_ms', '>=', toMs)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  const witnessesOf = async (size: number) =>
    (
      await db
        .selectFrom('witness_cosignatures')
        .select('witness')
        .distinct()
        .where('log', '=', log)
        .where('tree_size', '=', size)
        .execute()
    ).map((r) => r.witness);
  const ref = async (row: {
    tree_size: number;
    root_hash: Buffer;
    created_at_ms: number;
  }): Promise<CheckpointRef> => ({
    treeSize: Number(row.tree_size),
    rootHash: Buffer.from(row.root_hash).toString('base64'),
    signedAt: iso(Number(row.created_at_ms)),
    witnesses: await witnessesOf(Number(row.tree_size)),
  });
  const inWindowCount = await db
    .selectFrom('checkpoints')
    .select(sql<number>`count(*)`.as('n'))
    .where('source', '=', log)
    .where('created_at_ms', '>=', fromMs)
    .where('created_at_ms', '<', toMs)
    .executeTakeFirstOrThrow();
  const events = await db
    .selectFrom('events')
    .select(sql<number>`count(*)`.as('n'))
    .where('source', '=', log)
    .where('published_ms', '>=', fromMs)
    .where('published_ms', '<', toMs)
    .executeTakeFirstOrThrow();
  const oldest = await db
    .selectFrom('events')
    .select('published_ms')
    .where('source', '=', log)
    .orderBy('published_ms')
    .limit(1)
    .executeTakeFirst();
  const cursor = await db
    .selectFrom('cursors')
    .select('high_water_ms')
    .where('source', '=', log)
    .executeTakeFirst();
  const quarantined = await db
    .selectFrom('quarantine')
    .select(sql<number>`count(*)`.as('n'))
    .where('source', '=', log)
    .executeTakeFirstOrThrow();
  const rewritten = await db
    .selectFrom('rewritten_events')
    .innerJoin('events', (j) =>
      j
        .onRef('events.source', '=', 'rewritten_events.source')
        .onRef('events.provider_id', '=', 'rewritten_events.provider_id'),
    )
    .select('rewritten_events.provider_id')
    .distinct()
    .where('rewritten_events.source', '=', log)
    .where('events.published_ms', '>=', fromMs)
    .where('events.published_ms', '<', toMs)
    .execute();
  const snapshots = () =>
    db
      .selectFrom('ledger_records')
      .select(['record_id', 'time', 'leaf_index'])
      .where('log', '=', ledgerLog(incident.source, 'config-snapshots'));
  const before = await snapshots()
    .where('time', '<', incident.from)
    .orderBy('time', 'desc')
    .limit(1)
    .executeTakeFirst();
  const afterSnap = await snapshots()
    .where('time', '>=', incident.to)
    .orderBy('time')
    .limit(1)
    .executeTakeFirst();
  const snap = (r: { record_id: string; time: string; leaf_index: number }): SnapshotRef => ({
    id: r.record_id,
    time: r.time,
    leafIndex: Number(r.leaf_index),
  });

  const collectedUpTo = cursor?.high_water_ms == null ? undefined : Number(cursor.high_water_ms);
  const oldestMs = oldest ? Number(oldest.published_ms) : undefined;
  const gaps: string[] = [];
  if (!latest)
    gaps.push(`the store has no signed checkpoint of ${log}: nothing in this report can be proven`);
  if (collectedUpTo === undefined) gaps.push(`${log} has never been collected`);
  else if (collectedUpTo < toMs)
    gaps.push(
      `collection of ${log} has reached ${iso(collectedUpTo)} only: the window runs to ${incident.to}`,
    );
  if (oldestMs !== undefined && oldestMs > fromMs)
    gaps.push(
      `the oldest stored event of ${log} is from ${iso(oldestMs)}, after the window opens (${incident.from}): the provider's retention or a late first collection`,
    );
  if (Number(quarantined.n) > 0)
    gaps.push(
      `${Number(quarantined.n)} page(s) of ${log} were quarantined as malformed: their events are not in the store`,
    );
  if (rewritten.length > 0)
    gaps.push(
      `${rewritten.length} event(s) in the window were later re-served by the provider with other bytes; the stored copy is cited`,
    );
  if (!after && latest)
    gaps.push('no checkpoint was signed after the window closed: late events of the window may still arrive');
  return {
    log,
    checkpoint: latest
      ? { ...(await ref(latest)), note: latest.note }
      : { treeSize: 0, rootHash: '', signedAt: '', witnesses: [], note: '' },
    ...(after ? { firstAfterWindow: await ref(after) } : {}),
    checkpointsInWindow: Number(inWindowCount.n),
    eventsInWindow: Number(events.n),
    ...(collectedUpTo === undefined ? {} : { collectedUpTo: iso(collectedUpTo) }),
    ...(oldestMs === undefined ? {} : { oldestStored: iso(oldestMs) }),
    quarantinedPages: Number(quarantined.n),
    rewrittenEvents: rewritten.map((r) => r.provider_id),
    gaps,
    posture: {
      ...(before ? { before: snap(before) } : {}),
      ...(afterSnap ? { after: snap(afterSnap) } : {}),
    },
  };
}
