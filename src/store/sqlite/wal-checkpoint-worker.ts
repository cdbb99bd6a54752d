import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/**
 * The thread behind wal-checkpointer.ts: its own connection to the store, which copies committed
 * WAL frames into the database file (and waits for the disk) while the writer goes on writing.
 * PASSIVE never waits for, nor blocks, the writer or any reader.
 */
const { dbFile } = workerData as { dbFile: string };
const db = new Database(dbFile, { fileMustExist: true });

export type CheckpointReply =
  | { readonly busy: number; readonly log: number; readonly checkpointed: number }
  /** `code`: SQLite's error code (`SQLITE_FULL` on a full disk), when it gave one. */
  | { readonly error: string; readonly code?: string };

parentPort!.on('message', (message: 'checkpoint' | 'close') => {
  if (message === 'close') {
    db.close();
    parentPort!.close();
    return;
  }
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    parentPort!.postMessage(result satisfies CheckpointReply | undefined);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    parentPort!.postMessage({
      error: error instanceof Error ? error.message : String(error),
      ...(typeof code === 'string' ? { code } : {}),
    } satisfies CheckpointReply);
  }
});
