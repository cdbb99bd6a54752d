import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/seeded-random.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { runVigil } from '../cli/cli-harness.js';
import { tempDir } from '../support/temp-dir.js';

const BIN = path.resolve('bin/vigil.js');
let sim: RunningSimulator | undefined;
afterAll(() => sim?.close());

/**
 * Crash safety (issue 3): the real CLI is SIGKILLed at seeded points during a backfill (right as the
 * simulator answers its Kth request, so the kill lands while a page is being parsed or written), 20
 * times; a final `--once` must leave exactly the ground truth, and `vigil verify` must pass.
 * `VIGIL_SOAK_KILLS=500 npx vitest run test/custody/crash.test.ts` is the longer soak, run by hand.
 */
const ROUNDS = Number(process.env['VIGIL_SOAK_KILLS'] ?? 20);

describe('collector crash safety', () => {
  it(
    `loses nothing and duplicates nothing across ${ROUNDS} SIGKILLs`,
    async () => {
      const random = createRandom('crash');
      let child: ChildProcess | undefined;
      let killAt = 0;
      sim = await startSimulator({
        seed: 31,
        // Enough backfill for every round to land mid-backfill: 40 users' history per 20 kills.
        users: 40 * Math.max(1, Math.ceil(ROUNDS / 20)),
        days: 3,
        liveTraffic: false,
        // Rate limits are tested elsewhere; here they would only make a long soak wait.
        rateLimitPerMinute: 1_000_000,
        clock: new ManualClock('2026-03-10T12:00:00Z'),
        onRequest: (_entry, count) => {
          if (count === killAt) child?.kill('SIGKILL');
        },
      });
      const dataDir = tempDir('vigil-crash-');
      const env = { ...process.env, OKTA_TOKEN: sim.token, VIGIL_HOME: dataDir };
      // The source as `vigil source add` writes it, plus small pages for many kill points.
      writeFileSync(
        path.join(dataDir, 'vigil.yaml'),
        `sources:\n  - name: okta\n    type: okta\n    url: ${sim.baseUrl}\n    tokenEnv: OKTA_TOKEN\ncollect:\n  pageLimit: 15\n`,
      );
      const run = () =>
        new Promise<number | null>((resolve) => {
          child = spawn(process.execPath, [BIN, 'collect', '--once', '--since', '2026-03-01T00:00:00Z'], {
            env,
            stdio: 'ignore',
          });
          child.on('exit', (code) => resolve(code));
        });
      let kills = 0;
      for (let i = 0; i < ROUNDS; i++) {
        killAt = sim.requestLog().length + random.int(1, 4);
        const code = await run();
        if (code === null) kills++;
      }
      killAt = -1;
      expect(await run()).toBe(0);
      expect(kills).toBeGreaterThanOrEqual(Math.floor(ROUNDS * 0.75));

      const db = new Database(path.join(dataDir, 'vigil.db'), { readonly: true });
      const ids = (db.prepare('select provider_id from events').all() as { provider_id: string }[]).map(
        (r) => r.provider_id,
      );
      // The events log only: posture's configuration snapshots have a log of their own.
      const leaves = db
        .prepare("select count(*) n, max(leaf_index) m from ledger_leaves where source = 'okta'")
        .get() as {
        n: number;
        m: number;
      };
      db.close();
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(
        sim
          .truth()
          .map((e) => e.uuid)
          .sort(),
      );
      expect(leaves.n).toBe(ids.length);
      expect(leaves.m).toBe(ids.length - 1);
      const verify = await runVigil(['--data', dataDir, 'verify']);
      expect(verify.code, verify.stdout).toBe(0);
    },
    // A round is a CLI start and a kill, about a second: the soak gets the time it needs.
    60_000 + ROUNDS * 3_000,
  );
});
