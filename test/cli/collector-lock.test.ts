import { execFile, spawn } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { tempDir } from '../support/temp-dir.js';

const BIN = path.resolve('bin/vigil.js');
const run = promisify(execFile);
let sim: RunningSimulator | undefined;
afterAll(() => sim?.close());

/** `vigil collect --once` in a child process: its exit code and output. */
async function collectOnce(env: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'collect', '--once'], {
      env,
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string };
    return { code: e.code ?? -1, stdout: e.stdout, stderr: e.stderr };
  }
}

it('refuses a second collector on one store, and a SIGKILLed collector leaves no stale lock', async () => {
  let firstRequest: () => void = () => undefined;
  const collecting = new Promise<void>((resolve) => (firstRequest = resolve));
  sim = await startSimulator({
    seed: 3,
    users: 5,
    days: 1,
    liveTraffic: false,
    clock: new ManualClock('2026-03-10T12:00:00Z'),
    onRequest: () => firstRequest(),
  });
  const dataDir = tempDir('vigil-lock-');
  writeFileSync(
    path.join(dataDir, 'vigil.yaml'),
    `sources:\n  - name: okta\n    type: okta\n    url: ${sim.baseUrl}\n    tokenEnv: OKTA_TOKEN\n`,
    { mode: 0o600 },
  );
  const env = { PATH: process.env['PATH'], OKTA_TOKEN: sim.token, VIGIL_HOME: dataDir };

  // The first collector follows the log: it holds the lock from start-up until it ends.
  const first = spawn(process.execPath, [BIN, 'collect', '--poll-interval', '3600'], {
    env,
    stdio: 'ignore',
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    first.on('exit', (_, signal) => resolve(signal)),
  );
  try {
    await collecting;
    const second = await collectOnce(env);
    expect(second.code, second.stderr).toBe(2);
    expect(second.stderr).toMatch(/STORE_LOCKED/);
    expect(second.stderr).toContain(`another collector is already running on ${dataDir}`);
    expect(statSync(path.join(dataDir, 'collector.lock')).mode & 0o777).toBe(0o600);
  } finally {
    first.kill('SIGKILL');
  }
  expect(await exited).toBe('SIGKILL');

  // Killed without any chance to clean up: the kernel dropped its lock, so the next one runs.
  const third = await collectOnce(env);
  expect(third.code, third.stderr).toBe(0);
  expect(third.stdout).toMatch(/okta: \d+ new events/);
}, 60_000);
