import { statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startWalCheckpointer } from '../../src/store/sqlite/wal-checkpointer.js';
import { compiledWorker } from '../support/compiled-worker.js';
import { expectCode } from '../support/expect-code.js';
import { tempDir } from '../support/temp-dir.js';

// The compiled worker (built by the globalSetup); the file fails here, naming it, when it is missing.
const WORKER = compiledWorker('store', 'sqlite', 'wal-checkpoint-worker.js');

function openWal() {
  const file = path.join(tempDir('vigil-wal-'), 'store.db');
  const db = new Database(file);
  db.pragma('page_size = 4096');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table t (id integer primary key, body text not null)');
  const insert = db.prepare('insert into t (body) values (?)');
  /** One transaction of `rows` rows of 1 KB. */
  const write = (rows: number) =>
    db.transaction(() => {
      for (let i = 0; i < rows; i++) insert.run('x'.repeat(1024));
    })();
  return { db, file, write };
}

describe('WAL checkpoints on another thread', () => {
  it('copies every commit into the database file; the writer no longer checkpoints itself', async () => {
    const { db, file, write } = openWal();
    const checkpointer = startWalCheckpointer(db, file, { workerScript: WORKER, startAfterCommits: 0 })!;
    expect(checkpointer).toBeDefined();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(file).size;
    for (let round = 0; round < 5; round++) {
      await checkpointer.beforeWrite();
      write(200);
      checkpointer.committed();
    }
    // Two commits behind, the next write waits until everything committed is copied.
    await checkpointer.beforeWrite();
    // The writer never checkpoints (autocheckpoint is off): only the thread can have grown the file.
    // Had the thread failed, the writer would have fallen back, turning autocheckpoint on again.
    expect(db.pragma('wal_autocheckpoint', { simple: true }), 'the checkpoint thread failed').toBe(0);
    expect(statSync(file).size).toBeGreaterThan(before + 5 * 200 * 1024);
    await checkpointer.close();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(db.prepare('select count(*) from t').pluck().get()).toBe(1000);
    db.close();
  });

  it('keeps the WAL bounded: a write waits for the copying to catch up, and the WAL restarts', async () => {
    const { db, file, write } = openWal();
    const checkpointer = startWalCheckpointer(db, file, { workerScript: WORKER, startAfterCommits: 0 })!;
    for (let round = 0; round < 40; round++) {
      await checkpointer.beforeWrite();
      write(500); // about 0.5 MB a transaction, 20 MB in all
      checkpointer.committed();
    }
    // Still on the thread: a failed thread would have put the checkpoints back in the writer.
    expect(db.pragma('wal_autocheckpoint', { simple: true }), 'the checkpoint thread failed').toBe(0);
    await checkpointer.close();
    // Without restarts the WAL would hold all 20 MB; bounded, it holds a few transactions.
    expect(statSync(`${file}-wal`).size).toBeLessThan(3 * 2 ** 20);
    expect(db.prepare('select count(*) from t').pluck().get()).toBe(20_000);
    db.close();
  });

  it('falls back to checkpoints in the writer when its thread fails, and loses no commit', async () => {
    const { db, file, write } = openWal();
    const broken = path.join(tempDir('vigil-wal-broken-'), 'worker.mjs');
    writeFileSync(broken, "throw new Error('no checkpoints today');\n");
    const checkpointer = startWalCheckpointer(db, file, { workerScript: broken, startAfterCommits: 0 })!;
    for (let round = 0; round < 4; round++) {
      await checkpointer.beforeWrite();
      write(100);
      checkpointer.committed();
    }
    await checkpointer.beforeWrite();
    // Two commits behind, a write waited for the failed thread's answer and fell back: the writer
    // checkpoints again, before close.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await checkpointer.close();
    expect(db.prepare('select count(*) from t').pluck().get()).toBe(400);
    db.close();
  });

  it('a checkpoint that meets a full disk: one STORE_DISK_FULL naming the store at the next write, no stack, no commit lost', async () => {
    const { db, file, write } = openWal();
    // SQLite's max_page_count does not bind a checkpoint's copying, so no store can be filled on
    // demand for it: this thread answers every checkpoint as the real one does on a full disk
    // (better-sqlite3's SqliteError message and code).
    const full = path.join(tempDir('vigil-wal-full-'), 'worker.mjs');
    writeFileSync(
      full,
      [
        "import { parentPort } from 'node:worker_threads';",
        "parentPort.on('message', (m) => {",
        "  if (m === 'close') return parentPort.close();",
        "  parentPort.postMessage({ error: 'database or disk is full', code: 'SQLITE_FULL' });",
        '});',
        '',
      ].join('\n'),
    );
    const checkpointer = startWalCheckpointer(db, file, {
      workerScript: full,
      maxLag: 1,
      startAfterCommits: 0,
    })!;
    await checkpointer.beforeWrite();
    write(100);
    checkpointer.committed();
    // One commit behind with maxLag 1: the write waits for the answer, and is refused with it.
    const error = await expectCode(checkpointer.beforeWrite(), 'STORE_DISK_FULL');
    expect(error.message).toBe(
      `disk full at ${file}: nothing was lost; free space (or move the data directory) and run again`,
    );
    expect(error.category).toBe('external');
    // Once: the writer checkpoints itself again (the fallback) and a retry goes on writing.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await checkpointer.beforeWrite();
    write(100);
    checkpointer.committed();
    await checkpointer.beforeWrite();
    await checkpointer.close();
    expect(db.prepare('select count(*) from t').pluck().get()).toBe(200);
    db.close();
  });

  it('starts its thread only at the fourth commit: a run that writes little checkpoints as SQLite does', async () => {
    const { db, file, write } = openWal();
    const checkpointer = startWalCheckpointer(db, file, { workerScript: WORKER })!;
    for (let round = 0; round < 3; round++) {
      await checkpointer.beforeWrite();
      write(10);
      checkpointer.committed();
      // No thread yet: SQLite's own checkpoints in the commits, as without a checkpointer.
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    }
    await checkpointer.beforeWrite();
    write(10);
    checkpointer.committed();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await checkpointer.close();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(db.prepare('select count(*) from t').pluck().get()).toBe(40);
    // Closed before its fourth commit, it never starts one.
    const idle = startWalCheckpointer(db, file, { workerScript: WORKER })!;
    idle.committed();
    await idle.close();
    idle.committed();
    idle.committed();
    idle.committed();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });

  it('is not started where the compiled worker is missing: SQLite checkpoints as before', () => {
    const { db, file } = openWal();
    expect(
      startWalCheckpointer(db, file, { workerScript: path.join(os.tmpdir(), 'no-such-worker.js') }),
    ).toBe(undefined);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });
});
