import Database from 'better-sqlite3';
import { HASH_SIZE } from '../../ledger/merkle-hash.js';
import { EVENT_COLUMN_NAMES } from '../../sources/event-columns.js';
import { pageFormat } from '../../sources/page-formats.js';
import { decodedExactly } from '../../verify/stored-rows.js';
import {
  checkLeafRange,
  levelSpan,
  type LeafRangeResult,
  type StoredLevel,
} from '../../verify/leaf-check.js';

/** What a range checker checks: one source's ledger in a SQLite file. */
export interface LeafRangeSetup {
  readonly dbFile: string;
  readonly source: string;
  readonly deep: boolean;
  /** The source's page format by name (page-formats.ts): re-derive and compare every event's columns. */
  readonly format?: string;
  /** Ranges span 2^rangeLevel leaves, aligned (leaf-check.ts). */
  readonly rangeLevel: number;
}

export interface LeafRangeChecker {
  /** Leaves from ≤ index < to against their events, and the range's tree nodes (checkLeafRange). */
  check(from: number, to: number): LeafRangeResult;
  close(): void;
}

type NodeLevelRow = [
  count: number,
  min: number | null,
  max: number | null,
  shortest: number | null,
  longest: number | null,
  hashes: Buffer | null,
];
type LeafRow = [index: number, data: string | Uint8Array];
type EventRow = [
  id: number,
  providerId: string,
  leafIndex: number,
  published: string,
  raw: string | Uint8Array,
  ...columns: unknown[],
];

/**
 * `vigil verify`'s per-range work on SQLite, on its own read-only connection (WAL lets readers run
 * beside each other and beside a running collector): on a worker thread (leaf-range-worker.ts), or
 * on the calling thread while workers start and for ledgers too small for them.
 */
export function openLeafRangeChecker({
  dbFile,
  source,
  deep,
  format: formatName,
  rangeLevel,
}: LeafRangeSetup): LeafRangeChecker {
  const format = formatName === undefined ? undefined : pageFormat(formatName);
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  db.pragma('mmap_size = 1073741824');
  // Rows as arrays, not objects. Leaves and events are read as text, which costs a fraction of a
  // buffer per row in better-sqlite3, and digested as the UTF-8 they encode to: the stored bytes,
  // wherever the text decoded exactly (custody-reader.ts, decodedExactly); elsewhere the bytes are
  // read again and used instead.
  const WHERE_RANGE = 'where source = ? and leaf_index >= ? and leaf_index < ? order by leaf_index';
  const leaves = db.prepare(`select leaf_index, cast(data as text) from ledger_leaves ${WHERE_RANGE}`).raw();
  const leafBytes = db.prepare('select data from ledger_leaves where source = ? and leaf_index = ?').pluck();
  // With a format, the stored query columns too, in EVENT_COLUMN_NAMES order after the five above.
  const columns = format ? `, ${EVENT_COLUMN_NAMES.join(', ')}` : '';
  const events = db
    .prepare(`select id, provider_id, leaf_index, published, raw${columns} from events ${WHERE_RANGE}`)
    .raw();
  const eventBytes = db.prepare('select cast(raw as blob) from events where id = ?').pluck();

  // A level's nodes in one value: their hashes concatenated in index order, when every node of the
  // span is there and 32 bytes long (SQLite concatenates blobs byte for byte); otherwise row by row.
  const NODES_WHERE = 'from ledger_nodes where source = ? and level = ? and idx >= ? and idx < ?';
  const nodeLevel = db
    .prepare(
      `select count(*), min(idx), max(idx), min(length(hash)), max(length(hash)), cast(group_concat(hash, '' order by idx) as blob) ${NODES_WHERE}`,
    )
    .raw();
  const nodes = db.prepare(`select idx, hash ${NODES_WHERE}`).raw();

  /** The stored nodes of levels 0..rangeLevel within leaves [from, to). */
  function rangeNodes(from: number, to: number): StoredLevel[] {
    const found: StoredLevel[] = [];
    for (let level = 0; level <= rangeLevel; level++) {
      const [lo, hi] = levelSpan(level, from, to);
      if (lo >= hi) break;
      const [count, min, max, shortest, longest, hashes] = nodeLevel.get(
        source,
        level,
        lo,
        hi,
      ) as NodeLevelRow;
      if (
        count === hi - lo &&
        min === lo &&
        max === hi - 1 &&
        shortest === HASH_SIZE &&
        longest === HASH_SIZE
      )
        found.push({ first: lo, hashes: hashes! });
      else found.push(new Map(nodes.all(source, level, lo, hi) as [number, Uint8Array][]));
    }
    return found;
  }

  /** One range's rows, read in one transaction: a consistent snapshot beside a running collector. */
  const readRange = db.transaction((from: number, to: number) => ({
    leaves: (leaves.all(source, from, to) as LeafRow[]).map(([index, data]) => ({
      index,
      data:
        typeof data === 'string' && !decodedExactly(data) ? (leafBytes.get(source, index) as Buffer) : data,
    })),
    events: (events.all(source, from, to) as EventRow[]).map((row) => {
      const [id, providerId, leafIndex, published, raw] = row;
      return {
        providerId,
        leafIndex,
        published,
        raw: typeof raw === 'string' && !decodedExactly(raw) ? (eventBytes.get(id) as Buffer) : raw,
        ...(format ? { columns: row.slice(5) } : {}),
      };
    }),
    nodes: rangeNodes(from, to),
  }));

  return {
    check(from, to) {
      const range = readRange(from, to);
      return checkLeafRange(
        from,
        to,
        range.leaves,
        range.events,
        source,
        deep,
        { level: rangeLevel, stored: range.nodes },
        format,
      );
    },
    close: () => db.close(),
  };
}
