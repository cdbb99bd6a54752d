import { cpSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { tempDir } from '../support/temp-dir.js';
import { runVigil, addOktaSource } from './cli-harness.js';

export interface VerifyFinding {
  code: string;
  source: string;
  message: string;
  leafIndex?: number;
  eventId?: string;
  column?: string;
  treeSize?: number;
  file?: string;
}
export interface VerifyJson {
  ok: boolean;
  findings: VerifyFinding[];
  sources: { source: string; leaves: number }[];
}

/**
 * A data directory collected from the simulator by the real CLI (`source add`, two `collect --once`
 * runs a heartbeat apart), once per test file; each case works on its own copy. The base itself is
 * never verified in a way that writes (its copies would carry a rollback memory).
 */
export function collectedStore() {
  const clock = new ManualClock('2026-03-10T12:00:00.000Z');
  let sim: RunningSimulator;
  let base = '';
  const vigil = (dir: string, ...args: string[]) =>
    runVigil(['--data', dir, ...args], { clock, env: { OKTA_TOKEN: sim.token } });
  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, users: 15, days: 2, liveTraffic: false, clock });
    base = tempDir('vigil-verify-base-');
    await addOktaSource((...args: string[]) => vigil(base, ...args), sim.baseUrl);
    const first = await vigil(base, 'collect', '--once', '--since', '2026-03-07T00:00:00Z');
    expect(first.code, first.stderr).toBe(0);
    clock.advance(20 * 60_000);
    const again = await vigil(base, 'collect', '--once');
    expect(again.code, again.stderr).toBe(0);
  });
  afterAll(() => sim.close());
  return {
    vigil,
    /** A fresh copy of the collected data directory, with `sql` applied to its store. */
    copy(sql = ''): string {
      const dir = tempDir('vigil-verify-case-');
      cpSync(base, dir, { recursive: true });
      if (sql) withStore(dir, (db) => db.exec(sql));
      return dir;
    },
  };
}

/** Runs `use` on the data directory's SQLite store, opened directly (the attacker's view). */
export function withStore<T>(dir: string, use: (db: Database.Database) => T): T {
  const db = new Database(path.join(dir, 'vigil.db'));
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/**
 * Cuts the log's newest leaves, events, tree nodes and checkpoints together, back to `size` leaves
 * (a checkpointed size, so the rest stays one consistent tree); `alsoMarks` moves the cursor's
 * high-water mark and the detection mark back too, and cuts the detection marks' own log back to
 * the newest mark inside what is left (every append to it is checkpointed), which leaves nothing
 * inside the store to show it.
 */
export function truncateTo(dir: string, size: number, alsoMarks: boolean): void {
  withStore(dir, (db) => {
    db.exec(`
      delete from events where leaf_index >= ${size};
      delete from ledger_leaves where source = 'okta' and leaf_index >= ${size};
      delete from ledger_nodes where source = 'okta' and (idx + 1) * (1 << level) > ${size};
      delete from checkpoints where source = 'okta' and tree_size > ${size};
    `);
    if (!alsoMarks) return;
    db.exec(
      `update cursors set high_water_ms = (select max(published_ms) from events where source = 'okta');`,
    );
    const marks = db
      .prepare(
        `select leaf_index as record, json_extract(body, '$.leaf') as leaf from ledger_records
         where log = 'okta/detection-marks' order by leaf_index`,
      )
      .all() as { record: number; leaf: number }[];
    const kept = marks.filter((m) => m.leaf < size).at(-1);
    const logSize = kept ? kept.record + 1 : 0;
    db.exec(`
      delete from ledger_records where log = 'okta/detection-marks' and leaf_index >= ${logSize};
      delete from ledger_leaves where source = 'okta/detection-marks' and leaf_index >= ${logSize};
      delete from ledger_nodes where source = 'okta/detection-marks' and (idx + 1) * (1 << level) > ${logSize};
      delete from checkpoints where source = 'okta/detection-marks' and tree_size > ${logSize};
    `);
    if (kept) db.exec(`update detection_cursors set leaf_index = ${kept.leaf};`);
    else db.exec(`delete from detection_cursors;`);
  });
}

/** Checkpoint sizes signed for the log, oldest first. */
export const checkpointSizes = (dir: string): number[] =>
  withStore(
    dir,
    (db) =>
      db
        .prepare(`select tree_size from checkpoints where source = 'okta' order by id`)
        .pluck()
        .all() as number[],
  );
