import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { runVigil, addOktaSource } from '../cli/cli-harness.js';
import { tempDir } from '../support/temp-dir.js';

const BIN = path.resolve('bin/vigil.js');
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** `vigil posture snapshot` as a child process (bin/vigil.js over dist/), killed with SIGKILL after `killAfterMs`, or left to finish. */
function snapshot(
  dir: string,
  token: string,
  killAfterMs?: number,
): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--data', dir, 'posture', 'snapshot', '--json'], {
      env: { PATH: process.env['PATH'], OKTA_TOKEN: token },
      stdio: 'ignore',
    });
    const timer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

describe('posture snapshot crash safety', () => {
  it('a snapshot killed at any point is stored and ledgered whole or not at all', async () => {
    // Now, as the child's system clock has it; the org is frozen there (no live traffic).
    const clock = new ManualClock(Date.now());
    const sim = await startSimulator({ seed: 4, users: 40, days: 1, liveTraffic: false, clock });
    stops.push(() => sim.close());
    const dir = tempDir('vigil-posture-crash-');
    const env = { OKTA_TOKEN: sim.token };
    const vigil = (...args: string[]) => runVigil(['--data', dir, ...args], { env, clock });
    await addOktaSource(vigil, sim.baseUrl);
    const collected = await vigil('collect', '--once');
    expect(collected.code, collected.stderr).toBe(0);
    const before = JSON.parse((await vigil('posture', 'history', '--json')).stdout) as unknown[];

    // How long one whole snapshot takes here, then kills spread across it.
    const started = performance.now();
    expect((await snapshot(dir, sim.token)).code).toBe(0);
    const whole = performance.now() - started;
    let finished = 1;
    for (const fraction of [0.2, 0.4, 0.6, 0.75, 0.85, 0.92, 0.97]) {
      const run = await snapshot(dir, sim.token, Math.round(whole * fraction));
      if (run.code === 0) finished++;
      else expect(run.signal).toBe('SIGKILL');
    }

    // Every snapshot in the store is whole: verify checks each record's bytes against its leaf and
    // the log's signed checkpoints. A run killed after its commit has left a whole one too.
    const verified = await vigil('verify', '--json');
    expect(verified.code, verified.stdout).toBe(0);
    const history = JSON.parse((await vigil('posture', 'history', '--json')).stdout) as { id: string }[];
    expect(history.length - before.length).toBeGreaterThanOrEqual(finished);
    expect(history.length - before.length).toBeLessThanOrEqual(8);
    const check = await vigil('posture', 'check', '--json');
    expect([0, 1]).toContain(check.code);
    expect(JSON.parse(check.stdout).snapshot.id).toBe(history.at(-1)!.id);
  });
});
