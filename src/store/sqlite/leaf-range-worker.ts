import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { checkLeafRange } from '../../verify/leaf-check.js';

/**
 * A worker thread of `vigil verify` on SQLite: its own read-only connection (WAL lets readers run
 * beside each other and beside a running collector), checking the leaf ranges it is sent.
 */
interface WorkerSetup {
  readonly dbFile: string;
  readonly source: string;
  readonly deep: boolean;
}

const { dbFile, source, deep } = workerData as WorkerSetup;
const db = new Database(dbFile, { readonly: true, fileMustExist: true });
db.pragma('mmap_size = 1073741824');
const leaves = db.prepare(
  'select leaf_index, data from ledger_leaves where source = ? and leaf_index >= ? and leaf_index < ? order by leaf_index',
);
const events = db.prepare(
  'select provider_id, leaf_index, published, raw from events where source = ? and leaf_index >= ? and leaf_index < ? order by leaf_index',
);

type LeafRow = { leaf_index: number; data: Buffer };
type EventRow = { provider_id: string; leaf_index: number; published: string; raw: string };

parentPort!.on('message', ({ from, to }: { from: number; to: number }) => {
  const result = checkLeafRange(
    from,
    to,
    (leaves.all(source, from, to) as LeafRow[]).map((r) => ({ index: r.leaf_index, data: r.data })),
    (events.all(source, from, to) as EventRow[]).map((r) => ({
      providerId: r.provider_id,
      leafIndex: r.leaf_index,
      published: r.published,
      raw: r.raw,
    })),
    source,
    deep,
  );
  parentPort!.postMessage(result, [result.leafHashes.buffer as ArrayBuffer]);
});
