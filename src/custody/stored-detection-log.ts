import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import { ledgerLog } from '../ledger/ledger-log.js';
import type { VigilDatabase } from '../store/database-schema.js';
import {
  decodeDetectionMark,
  detectionMarkRecordId,
  encodeDetectionMark,
} from '../verify/detection-mark-records.js';
import type { CustodyStore } from './custody-store.js';

const PAGE = 2_000;
/** State rows per statement: under SQLite's bound-parameter limit with four columns each. */
const STATE_BATCH = 500;

/** One key of detector state to write with the mark: its JSON, or undefined for a key that is gone. */
interface StateRow {
  readonly part: string;
  readonly key: string;
  readonly json: string | undefined;
}

/** The leaf of the newest ledgered detection mark of `source`: undefined with none, null when unreadable. */
export async function newestLedgeredMark(
  db: Kysely<VigilDatabase>,
  source: string,
): Promise<{ leaf: number | null; recordId: string } | undefined> {
  const row = await db
    .selectFrom('ledger_records')
    .select(['record_id', 'body'])
    .where('log', '=', ledgerLog(source, 'detection-marks'))
    .orderBy('leaf_index', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return { leaf: decodeDetectionMark(row.body)?.leaf ?? null, recordId: row.record_id };
}

/**
 * Ledgers the mark `leaf` of `source` in `<source>/detection-marks` unless it is already the newest
 * ledgered one, inside the caller's transaction (the one that moves the mark).
 */
async function ledgerMark(
  trx: Kysely<VigilDatabase>,
  custody: CustodyStore,
  clock: Clock,
  source: string,
  leaf: number,
): Promise<void> {
  if ((await newestLedgeredMark(trx, source))?.leaf === leaf) return;
  await custody.appendRecordsIn(trx, source, 'detection-marks', [
    {
      id: detectionMarkRecordId(leaf),
      time: new Date(clock.now()).toISOString(),
      body: encodeDetectionMark({ source, leaf }),
    },
  ]);
}

/**
 * A store written before marks were ledgered: each stored mark that is not the newest ledgered one
 * is ledgered now, as it stands (a writer does this at open, so verify can hold later marks to it).
 */
export async function ledgerStoredMarks(
  db: Kysely<VigilDatabase>,
  custody: CustodyStore,
  clock: Clock,
): Promise<number> {
  const marks = await db.selectFrom('detection_cursors').select(['source', 'leaf_index']).execute();
  let ledgered = 0;
  for (const m of marks) {
    const leaf = Number(m.leaf_index);
    if ((await newestLedgeredMark(db, m.source))?.leaf === leaf) continue;
    await db.transaction().execute((trx) => ledgerMark(trx, custody, clock, m.source, leaf));
    ledgered++;
  }
  return ledgered;
}

/**
 * Detection's view of the custody store (detect/pipeline/detection-log.ts, which it satisfies
 * structurally: custody sits beside detection, not above it), over the store's tables. With
 * `custody` (a writer), each move of the mark is ledgered in the transaction that makes it.
 */
export function storedDetectionLog(db: Kysely<VigilDatabase>, clock: Clock, custody?: CustodyStore) {
  return {
    async mark(source: string): Promise<{ leaf: number; stateSaved: boolean } | undefined> {
      const row = await db
        .selectFrom('detection_cursors')
        .select(['leaf_index', 'state_saved'])
        .where('source', '=', source)
        .executeTakeFirst();
      return row ? { leaf: Number(row.leaf_index), stateSaved: Number(row.state_saved) === 1 } : undefined;
    },
    async setMark(source: string, leaf: number, state: readonly StateRow[]): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        const gone = state.filter((r) => r.json === undefined);
        for (const r of gone)
          await tx
            .deleteFrom('detector_state')
            .where('source', '=', source)
            .where('part', '=', r.part)
            .where('key', '=', r.key)
            .execute();
        const kept = state.flatMap((r) =>
          r.json === undefined ? [] : [{ source, part: r.part, key: r.key, json: r.json }],
        );
        for (let i = 0; i < kept.length; i += STATE_BATCH)
          await tx
            .insertInto('detector_state')
            .values(kept.slice(i, i + STATE_BATCH))
            .onConflict((oc) =>
              oc.columns(['source', 'part', 'key']).doUpdateSet((eb) => ({ json: eb.ref('excluded.json') })),
            )
            .execute();
        await tx
          .insertInto('detection_cursors')
          .values({ source, leaf_index: leaf, updated_at_ms: now, state_saved: 1 })
          .onConflict((oc) =>
            oc.column('source').doUpdateSet({ leaf_index: leaf, updated_at_ms: now, state_saved: 1 }),
          )
          .execute();
        if (custody) await ledgerMark(tx, custody, clock, source, leaf);
      });
    },
    async *state(source: string): AsyncIterable<{ part: string; key: string; json: string }> {
      for (let after = { part: '', key: '' }; ;) {
        const rows = await db
          .selectFrom('detector_state')
          .select(['part', 'key', 'json'])
          .where('source', '=', source)
          .where((eb) =>
            eb.or([
              eb('part', '>', after.part),
              eb.and([eb('part', '=', after.part), eb('key', '>', after.key)]),
            ]),
          )
          .orderBy('part')
          .orderBy('key')
          .limit(PAGE)
          .execute();
        yield* rows;
        const last = rows.at(-1);
        if (rows.length < PAGE || !last) return;
        after = last;
      }
    },
    async lastLeaf(source: string): Promise<number> {
      const row = await db
        .selectFrom('events')
        .select((eb) => eb.fn.max('leaf_index').as('last'))
        .where('source', '=', source)
        .executeTakeFirst();
      return row?.last == null ? -1 : Number(row.last);
    },
    async publishedMs(source: string, leaf: number): Promise<number | undefined> {
      const row = await db
        .selectFrom('events')
        .select('published_ms')
        .where('source', '=', source)
        .where('leaf_index', '=', leaf)
        .executeTakeFirst();
      return row ? Number(row.published_ms) : undefined;
    },
    async windowStart(
      source: string,
      through: number,
      fromMs: number,
      max: number,
    ): Promise<number | undefined> {
      const newest = await db
        .selectFrom('events')
        .select('leaf_index')
        .where('source', '=', source)
        .where('leaf_index', '<=', through)
        .where('published_ms', '>=', fromMs)
        .orderBy('leaf_index', 'desc')
        .limit(max)
        .execute();
      const oldest = newest.at(-1);
      return oldest ? Number(oldest.leaf_index) : undefined;
    },
    async *events(
      source: string,
      after: number,
      through: number,
    ): AsyncIterable<{ leaf: number; raw: string }> {
      for (let from = after; ;) {
        const rows = await db
          .selectFrom('events')
          .select(['leaf_index', 'raw'])
          .where('source', '=', source)
          .where('leaf_index', '>', from)
          .where('leaf_index', '<=', through)
          .orderBy('leaf_index')
          .limit(PAGE)
          .execute();
        for (const r of rows) yield { leaf: Number(r.leaf_index), raw: r.raw };
        if (rows.length < PAGE) return;
        from = Number(rows.at(-1)!.leaf_index);
      }
    },
  };
}
