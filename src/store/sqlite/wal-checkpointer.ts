import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { storeError } from './sqlite-errors.js';
import type { CheckpointReply } from './wal-checkpoint-worker.js';

/**
 * Checkpoints the writer's WAL on another thread. SQLite's own automatic checkpoint runs inside the
 * COMMIT that crosses its threshold: it copies the transaction's pages into the database file and
 * waits for the disk twice (the WAL, then the database), which on a bulk ingest is a third of the
 * writer's time. Here the writer only commits (still durable against a process crash, as before:
 * the WAL is the commit) and a second connection copies the frames in the background.
 *
 * A WAL only restarts from its beginning when a write starts with every frame copied; a writer that
 * never waits could grow it without end. So when the copying falls `maxLag` commits behind, or the
 * WAL was last seen past `maxWalBytes`, the next write first waits for it to catch up.
 */
export interface WalCheckpointer {
  /** After a write transaction commits: copy what it added, in the background. */
  committed(): void;
  /**
   * Before a write transaction: waits, only when the copying has fallen behind (see above). A
   * checkpoint that failed on a full disk is reported here, once, as STORE_DISK_FULL naming the
   * store ("disk full at PATH"): the write is not attempted, and the store keeps every commit.
   */
  beforeWrite(): Promise<void>;
  /** Stops the thread (after the checkpoint in flight), leaving checkpoints to SQLite again. */
  close(): Promise<void>;
}

export interface WalCheckpointerOptions {
  /**
   * Default 64 MiB. Measured on 190,000 events, 64 and 256 MiB ingest equally fast (6–8% faster
   * than checkpoints in the writer); the WAL then peaks near 200 MB, a large ingest transaction
   * beyond the limit.
   */
  readonly maxWalBytes?: number;
  /** Default 2: a write waits once two commits are not yet copied. */
  readonly maxLag?: number;
  /** The compiled worker script; by default the one beside this module. */
  readonly workerScript?: string;
  /**
   * Default 4: the thread starts at this commit, so a run that writes little (a short demo or
   * drill) starts no thread and SQLite checkpoints in its commits as usual (issue 20: the thread
   * and its connection cost about 16 MB). 0 starts it at once.
   */
  readonly startAfterCommits?: number;
}

const DEFAULT_SCRIPT = fileURLToPath(new URL('./wal-checkpoint-worker.js', import.meta.url));

/**
 * Starts the checkpoint thread for `db` (the writer's connection to `dbFile`), or returns undefined
 * where worker threads cannot run (from TypeScript sources, without the compiled worker): SQLite's
 * automatic checkpoints then stay on.
 */
export function startWalCheckpointer(
  db: Database,
  dbFile: string,
  options: WalCheckpointerOptions = {},
): WalCheckpointer | undefined {
  const script = options.workerScript ?? DEFAULT_SCRIPT;
  if (!existsSync(script)) return undefined;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const maxFrames = Math.max(1, Math.floor((options.maxWalBytes ?? 64 * 2 ** 20) / pageSize));
  const startAfter = Math.max(0, options.startAfterCommits ?? 4);
  const begin = () => {
    const worker = new Worker(script, { workerData: { dbFile } });
    // The thread keeps the process alive only while it is asked something (see checkpoint, close).
    worker.unref();
    db.pragma('wal_autocheckpoint = 0');
    return worker;
  };
  let thread: ReturnType<typeof threadCheckpointer> | undefined;
  let seen = 0;
  let closed = false;
  const started = () => (thread ??= threadCheckpointer(db, dbFile, begin(), maxFrames, options.maxLag ?? 2));
  if (startAfter === 0) started();
  return {
    committed() {
      if (thread) return thread.committed();
      if (!closed && ++seen >= startAfter) started().committed();
    },
    beforeWrite: () => thread?.beforeWrite() ?? Promise.resolve(),
    close: () => {
      closed = true;
      return thread?.close() ?? Promise.resolve();
    },
  };
}

/** The checkpointer once its thread runs. */
function threadCheckpointer(
  db: Database,
  dbFile: string,
  worker: Worker,
  maxFrames: number,
  maxLag: number,
): WalCheckpointer {
  let inFlight: Promise<void> | undefined;
  let again = false;
  let walFrames = 0;
  // Commits so far, and how many of them the last finished checkpoint had copied.
  let commits = 0;
  let copied = 0;
  let closed = false;
  let fellBack = false;
  let reply: ((answer: CheckpointReply | Error | undefined) => void) | undefined;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // A thread that fails (at start or later) answers the request in flight, if any, with its error.
  worker.on('error', (error) => reply?.(error));
  worker.on('message', (answer: CheckpointReply | undefined) => reply?.(answer));
  let dead = false;
  void exited.then(() => {
    dead = true;
    reply?.(new Error('the checkpoint thread exited'));
  });

  // A full disk met by a checkpoint (the thread's or the fallback's), for the next beforeWrite.
  let diskFull: unknown;
  const noteDiskFull = (error: { code?: unknown; message?: unknown }) => {
    const mapped = storeError(error, dbFile);
    if (mapped !== error) diskFull ??= mapped;
  };

  /** If the thread fails, checkpoints go back where SQLite keeps them: in the writer's commits. */
  const fallBack = () => {
    if (fellBack) return;
    fellBack = true;
    db.pragma('wal_autocheckpoint = 1000');
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch (error) {
      // Runs from the thread's reply, outside any caller: a throw here was an uncaught exception
      // (a stack trace on a full disk). A checkpoint that fails loses nothing (the WAL holds every
      // commit) and SQLite's automatic checkpoints, back on, try again at the next commit; a full
      // disk reaches the caller at its next write, as STORE_DISK_FULL.
      noteDiskFull(error as { code?: unknown });
    }
  };
  const checkpoint = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (dead) {
        fallBack();
        return resolve();
      }
      reply = (answer: CheckpointReply | Error | undefined) => {
        reply = undefined;
        worker.unref();
        if (answer !== undefined && !(answer instanceof Error) && 'error' in answer)
          noteDiskFull({ code: answer.code, message: answer.error });
        if (answer === undefined || answer instanceof Error || 'error' in answer) fallBack();
        else walFrames = answer.log;
        resolve();
      };
      worker.ref();
      worker.postMessage('checkpoint');
    });
  const start = () => {
    const covers = commits;
    inFlight = checkpoint().then(() => {
      inFlight = undefined;
      copied = covers;
      if (again && !closed && !fellBack) {
        again = false;
        start();
      }
    });
  };
  const drain = async () => {
    while (inFlight) await inFlight;
  };

  return {
    committed() {
      if (closed || fellBack) return;
      commits++;
      if (inFlight) again = true;
      else start();
    },
    async beforeWrite() {
      const full = () => {
        if (diskFull === undefined) return;
        const error = diskFull;
        diskFull = undefined;
        throw error;
      };
      full();
      if (closed || fellBack || (commits - copied < maxLag && walFrames <= maxFrames)) return;
      await drain();
      full();
      // Everything committed so far is copied: the write about to start restarts the WAL.
      walFrames = 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      await drain();
      worker.ref();
      worker.postMessage('close');
      await exited;
      if (!fellBack) db.pragma('wal_autocheckpoint = 1000');
    },
  };
}
