import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { checkLeafRange, levelSpan, type StoredRangeNode } from '../../verify/leaf-check.js';

/**
 * A worker thread of `vigil verify` on SQLite: its own read-only connection (WAL lets readers run
 * beside each other and beside a running collector), checking the leaf ranges it is sent.
 */
interface WorkerSetup {
  readonly dbFile: string;
  readonly source: string;
  readonly deep: boolean;
  /** Ranges span 2^rangeLevel leaves, aligned (leaf-check.ts). */
  readonly rangeLevel: number;
}

const { dbFile, source, deep, rangeLevel } = workerData as WorkerSetup;
const db = new Database(dbFile, { readonly: true, fileMustExist: true });
db.pragma('mmap_size = 1073741824');
// Rows as arrays, not objects; the event's text as its stored UTF-8 bytes (cast to a blob), which is
// what its digest is taken over: decoding it into a string only to encode it again costs a third of
// the read.
const leaves = db
  .prepare(
    'select leaf_index, data from ledger_leaves where source = ? and leaf_index >= ? and leaf_index < ? order by leaf_index',
  )
  .raw();
const events = db
  .prepare(
    'select provider_id, leaf_index, published, cast(raw as blob) from events where source = ? and leaf_index >= ? and leaf_index < ? order by leaf_index',
  )
  .raw();

const NODES_WHERE = 'from ledger_nodes where source = ? and level = ? and idx >= ? and idx < ?';
const nodeSpan = db.prepare(`select count(*), min(idx), max(idx) ${NODES_WHERE}`).raw();
const nodeHashes = db.prepare(`select hash ${NODES_WHERE} order by idx`).pluck();
const nodes = db.prepare(`select idx, hash ${NODES_WHERE}`).raw();

/** The stored nodes of levels 0..rangeLevel within leaves [from, to). */
function rangeNodes(from: number, to: number): StoredRangeNode[] {
  const found: StoredRangeNode[] = [];
  for (let level = 0; level <= rangeLevel; level++) {
    const [lo, hi] = levelSpan(level, from, to);
    if (lo >= hi) break;
    const [count, min, max] = nodeSpan.get(source, level, lo, hi) as [number, number, number];
    if (count === hi - lo && min === lo && max === hi - 1) {
      // The usual case, every node present: their hashes alone, in index order.
      (nodeHashes.all(source, level, lo, hi) as Buffer[]).forEach((hash, i) =>
        found.push({ level, index: lo + i, hash }),
      );
    } else {
      for (const [index, hash] of nodes.all(source, level, lo, hi) as [number, Buffer][])
        found.push({ level, index, hash });
    }
  }
  return found;
}

type LeafRow = [index: number, data: Buffer];
type EventRow = [providerId: string, leafIndex: number, published: string, raw: Buffer];

parentPort!.on('message', ({ from, to }: { from: number; to: number }) => {
  const result = checkLeafRange(
    from,
    to,
    (leaves.all(source, from, to) as LeafRow[]).map(([index, data]) => ({ index, data })),
    (events.all(source, from, to) as EventRow[]).map(([providerId, leafIndex, published, raw]) => ({
      providerId,
      leafIndex,
      published,
      raw,
    })),
    source,
    deep,
    { level: rangeLevel, stored: rangeNodes(from, to) },
  );
  parentPort!.postMessage(result, [result.leafHashes.buffer as ArrayBuffer]);
});
