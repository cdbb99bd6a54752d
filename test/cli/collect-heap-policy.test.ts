import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from './cli-harness.js';

let sim: RunningSimulator | undefined;
afterAll(() => sim?.close());

function dataDirWith(url: string, collect: string): string {
  const dir = tempDir('vigil-heap-');
  writeFileSync(
    path.join(dir, 'vigil.yaml'),
    `sources:\n  - name: okta\n    type: okta\n    url: ${url}\n    tokenEnv: OKTA_TOKEN\n${collect}`,
    { mode: 0o600 },
  );
  return dir;
}

it("vigil collect sets vigil.yaml's collect.heapGrowthPercent as the process's policy; a reading command sets none", async () => {
  const clock = new ManualClock('2026-03-10T12:00:00Z');
  sim = await startSimulator({ seed: 4, users: 3, days: 1, liveTraffic: false, clock });
  const env = { OKTA_TOKEN: sim.token };
  const asked: number[] = [];
  const heapPolicy = (p: number) => asked.push(p);

  const configured = dataDirWith(sim.baseUrl, 'collect:\n  heapGrowthPercent: 45\n');
  const run = await runVigil(['--data', configured, 'collect', '--once'], { env, clock, heapPolicy });
  expect(run.code, run.stderr).toBe(0);
  expect(asked).toEqual([45]);

  // The default when vigil.yaml does not say.
  const plain = dataDirWith(sim.baseUrl, '');
  expect((await runVigil(['--data', plain, 'collect', '--once'], { env, clock, heapPolicy })).code).toBe(0);
  expect(asked).toEqual([45, 30]);

  // A command that only reads sets no policy.
  expect((await runVigil(['--data', plain, 'events', '--limit', '1'], { env, clock, heapPolicy })).code).toBe(
    0,
  );
  expect(asked).toEqual([45, 30]);
});

it('a heapGrowthPercent out of range is a config error naming the key, before anything is opened or set', async () => {
  const asked: number[] = [];
  const dir = dataDirWith('http://127.0.0.1:9', 'collect:\n  heapGrowthPercent: 1000\n');
  const run = await runVigil(['--data', dir, 'collect', '--once'], {
    env: { OKTA_TOKEN: 't' },
    heapPolicy: (p) => asked.push(p),
  });
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/collect\.heapGrowthPercent/);
  expect(asked).toEqual([]);
});
