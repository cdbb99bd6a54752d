import { sql, type Kysely } from 'kysely';
import type { VigilDatabase } from '../store/database-schema.js';
import type { Store } from '../store/store.js';
import { EVENT_COLUMN_NAMES } from '../sources/event-columns.js';
import { pageFormat } from '../sources/page-formats.js';
import type { CustodyReader, LeafRangeCheck, LogHead, StoredCheckpoint } from '../verify/custody-reader.js';
import { decodedExactly, type StoredEventRow, type StoredLeaf } from '../verify/stored-rows.js';
import {
  checkLeafRange,
  levelSpan,
  RANGE_LEVEL,
  type LeafRangeResult,
  type StoredLevel,
} from '../verify/leaf-check.js';
import { parseLedgerLog } from '../ledger/ledger-log.js';
import { checkRecordRange, unledgeredRecords } from '../verify/record-check.js';
import type { CustodyStore } from './custody-store.js';
import { newestLedgeredMark } from './stored-detection-log.js';

const PAGE = 5_000;

/**
 * `vigil verify` reads the store through this, range by range in index order. Where the dialect
 * checks ranges itself (`leafRanges`: SQLite, with its own statements on worker threads), it does;
 * otherwise ranges are read here through Kysely, as any dialect can.
 */
export function sqlCustodyReader(
  store: Store,
  custody: CustodyStore,
  options: { rangeLevel?: number } = {},
): CustodyReader {
  const db = store.db;
  const rangeLevel = options.rangeLevel ?? RANGE_LEVEL;
  const eventRows = async (
    source: string,
    from: number,
    to: number,
    withColumns: boolean,
  ): Promise<StoredEventRow[]> => {
    const rows = await db
      .selectFrom('events')
      .select(['id', 'raw', 'leaf_index', ...EVENT_COLUMN_NAMES])
      .where('source', '=', source)
      .where('leaf_index', '>=', from)
      .where('leaf_index', '<', to)
      .orderBy('leaf_index')
      .execute();
    const found: StoredEventRow[] = [];
    for (const r of rows) {
      found.push({
        providerId: r.provider_id,
        leafIndex: Number(r.leaf_index),
        published: r.published,
        raw: typeof r.raw !== 'string' || decodedExactly(r.raw) ? r.raw : await storedBytes(Number(r.id)),
        ...(withColumns ? { columns: EVENT_COLUMN_NAMES.map((name) => r[name]) } : {}),
      });
    }
    return found;
  };
  /** An event's stored bytes, where its text did not decode exactly. */
  const storedBytes = async (id: number): Promise<Uint8Array> => {
    const row = await db
      .selectFrom('events')
      .select(store.dialect.textBytes('raw').as('bytes'))
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.bytes;
  };

  const rangeNodes = async (source: string, from: number, to: number): Promise<StoredLevel[]> => {
    const found: StoredLevel[] = [];
    for (let level = 0; level <= rangeLevel; level++) {
      const [lo, hi] = levelSpan(level, from, to);
      if (lo >= hi) break;
      const rows = await db
        .selectFrom('ledger_nodes')
        .select(['idx', 'hash'])
        .where('source', '=', source)
        .where('level', '=', level)
        .where('idx', '>=', lo)
        .where('idx', '<', hi)
        .execute();
      found.push(new Map(rows.map((r) => [Number(r.idx), r.hash])));
    }
    return found;
  };

  /** The stored leaves of `log` in [from, to), in index order (events and records logs alike). */
  const rangeLeaves = async (log: string, from: number, to: number): Promise<StoredLeaf[]> => {
    const rows = await db
      .selectFrom('ledger_leaves')
      .select(['leaf_index', 'data'])
      .where('source', '=', log)
      .where('leaf_index', '>=', from)
      .where('leaf_index', '<', to)
      .orderBy('leaf_index')
      .execute();
    return rows.map((r) => ({ index: Number(r.leaf_index), data: r.data }));
  };

  /** A record log's leaves against its records (few: read and checked on this thread). */
  async function* recordRanges(
    log: string,
    parsed: { source: string; kind: string },
    end: number,
  ): AsyncIterable<LeafRangeResult> {
    const records = (from: number, to: number) =>
      db
        .selectFrom('ledger_records')
        .select(['leaf_index', 'kind', 'record_id', 'time', 'body'])
        .where('log', '=', log)
        .where('leaf_index', '>=', from)
        .where('leaf_index', '<', to)
        .orderBy('leaf_index')
        .execute()
        .then((rows) =>
          Promise.all(
            rows.map(async (r) => ({
              leafIndex: Number(r.leaf_index),
              kind: r.kind,
              recordId: r.record_id,
              time: r.time,
              body: decodedExactly(r.body) ? r.body : await recordBytes(log, Number(r.leaf_index)),
            })),
          ),
        );
    for (let from = 0; from < end; from += 2 ** rangeLevel) {
      const to = Math.min(end, from + 2 ** rangeLevel);
      yield checkRecordRange(from, to, await rangeLeaves(log, from, to), await records(from, to), parsed, {
        level: rangeLevel,
        stored: await rangeNodes(log, from, to),
      });
    }
    const beyond = await records(end, Number.MAX_SAFE_INTEGER);
    if (beyond.length > 0) yield unledgeredRecords(end, beyond);
  }
  /** A record's stored bytes, where its text did not decode exactly. */
  const recordBytes = async (log: string, leafIndex: number): Promise<Uint8Array> => {
    const row = await db
      .selectFrom('ledger_records')
      .select(store.dialect.textBytes('body').as('bytes'))
      .where('log', '=', log)
      .where('leaf_index', '=', leafIndex)
      .executeTakeFirstOrThrow();
    return row.bytes;
  };

  async function* inThread(source: string, check: LeafRangeCheck): AsyncIterable<LeafRangeResult> {
    const { deep, end } = check;
    const format = check.format === undefined ? undefined : pageFormat(check.format);
    for (let from = 0; from < end; from += 2 ** rangeLevel) {
      const to = Math.min(end, from + 2 ** rangeLevel);
      yield checkLeafRange(
        from,
        to,
        await rangeLeaves(source, from, to),
        await eventRows(source, from, to, format !== undefined),
        source,
        deep,
        { level: rangeLevel, stored: await rangeNodes(source, from, to) },
        format,
      );
    }
  }

  return {
    async sources() {
      const rows = await db
        .selectFrom('ledger_leaves')
        .select('source')
        .distinct()
        .union(db.selectFrom('events').select('source').distinct())
        .union(db.selectFrom('checkpoints').select('source').distinct())
        .union(db.selectFrom('ledger_records').select('log as source').distinct())
        .execute();
      return [...new Set(rows.map((r) => r.source))].sort();
    },
    async *leafRanges(source, check) {
      const { end } = check;
      const parsed = parseLedgerLog(source);
      if (parsed && parsed.kind !== 'events') {
        yield* recordRanges(source, parsed, end);
        return;
      }
      const dialectRanges = store.capabilities.leafRanges;
      if (dialectRanges) yield* dialectRanges.ranges(source, check, end);
      else yield* inThread(source, check);
    },
    async *eventsAfter(source, leafIndex, end) {
      // Keyset on (leaf_index, id): two rows claiming one index must not fall between pages.
      for (let after = { leaf: leafIndex, id: Number.MAX_SAFE_INTEGER }; ;) {
        const rows = await db
          .selectFrom('events')
          .select(['id', 'provider_id', 'leaf_index', 'published', 'raw'])
          .where('source', '=', source)
          .where((eb) =>
            eb.or([
              eb('leaf_index', '>', after.leaf),
              eb.and([eb('leaf_index', '=', after.leaf), eb('id', '>', after.id)]),
            ]),
          )
          // An event at or past `end` with its leaf was appended after the head was read.
          .where((eb) =>
            eb.or([
              eb('leaf_index', '<', end),
              eb.not(
                eb.exists(
                  eb
                    .selectFrom('ledger_leaves')
                    .select('ledger_leaves.leaf_index')
                    .whereRef('ledger_leaves.source', '=', 'events.source')
                    .whereRef('ledger_leaves.leaf_index', '=', 'events.leaf_index'),
                ),
              ),
            ]),
          )
          .orderBy('leaf_index')
          .orderBy('id')
          .limit(PAGE)
          .execute();
        if (rows.length > 0)
          yield rows.map((r) => ({
            providerId: r.provider_id,
            leafIndex: Number(r.leaf_index),
            published: r.published,
            raw: r.raw,
          }));
        const last = rows.at(-1);
        if (!last || rows.length < PAGE) return;
        after = { leaf: Number(last.leaf_index), id: Number(last.id) };
      }
    },
    head: (source) => db.transaction().execute((trx) => readLogHead(trx, source)),
    hashReader: (source) => custody.hashReader(source),
  };
}

/**
 * A log's head (custody-reader.ts LogHead), inside the caller's transaction. Record logs
 * (`<source>/<kind>`) count their records; only the events log has a cursor and a detection mark.
 */
async function readLogHead(db: Kysely<VigilDatabase>, source: string): Promise<LogHead> {
  const leaves = await db
    .selectFrom('ledger_leaves')
    .select([sql<number | null>`max(leaf_index)`.as('last'), sql<number>`count(*)`.as('n')])
    .where('source', '=', source)
    .executeTakeFirstOrThrow();
  const checkpoints: StoredCheckpoint[] = (
    await db.selectFrom('checkpoints').selectAll().where('source', '=', source).orderBy('id').execute()
  ).map((r) => ({
    id: Number(r.id),
    treeSize: Number(r.tree_size),
    rootHash: Buffer.from(r.root_hash),
    note: r.note,
  }));
  const base = {
    treeSize: leaves.last === null ? 0 : Number(leaves.last) + 1,
    leaves: Number(leaves.n),
    checkpoints,
  };
  const parsed = parseLedgerLog(source);
  if (parsed && parsed.kind !== 'events') {
    const records = await db
      .selectFrom('ledger_records')
      .select(sql<number>`count(*)`.as('n'))
      .where('log', '=', source)
      .executeTakeFirstOrThrow();
    return { ...base, events: Number(records.n), newestPublishedMs: null };
  }
  const events = await db
    .selectFrom('events')
    .select([sql<number>`count(*)`.as('n'), sql<number | null>`max(published_ms)`.as('newest')])
    .where('source', '=', source)
    .executeTakeFirstOrThrow();
  const cursor = await db
    .selectFrom('cursors')
    .select('high_water_ms')
    .where('source', '=', source)
    .executeTakeFirst();
  // The cursor's upsert keeps the larger mark with a missing one read as 0: 0 means none.
  const highWaterMs = cursor?.high_water_ms ? Number(cursor.high_water_ms) : null;
  const atHighWater =
    highWaterMs === null
      ? undefined
      : await db
          .selectFrom('events')
          .select('id')
          .where('source', '=', source)
          .where('published_ms', '=', highWaterMs)
          .limit(1)
          .executeTakeFirst();
  const mark = await db
    .selectFrom('detection_cursors')
    .select('leaf_index')
    .where('source', '=', source)
    .executeTakeFirst();
  const ledgeredMark = await newestLedgeredMark(db, source);
  return {
    ...base,
    events: Number(events.n),
    newestPublishedMs: events.newest === null ? null : Number(events.newest),
    ...(cursor ? { cursor: { highWaterMs, highWaterStored: atHighWater !== undefined } } : {}),
    ...(mark ? { detectedTo: Number(mark.leaf_index) } : {}),
    ...(ledgeredMark ? { ledgeredMark } : {}),
  };
}
