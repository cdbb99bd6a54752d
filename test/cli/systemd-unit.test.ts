import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { tempDir } from '../support/temp-dir.js';

const UNIT = 'deploy/vigil-collect.service';
const BIN = path.resolve('bin/vigil.js');
let sim: RunningSimulator | undefined;
afterAll(() => sim?.close());

/** A unit file's settings by section; a key given more than once keeps every value. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq < 1) throw new Error(`${UNIT}: not a setting: ${line}`);
    const key = line.slice(0, eq).trim();
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return sections;
}

const unit = parseUnit(readFileSync(UNIT, 'utf8'));
const service = unit.get('Service')!;
const one = (key: string) => service.get(key)?.at(-1);
const execStart = one('ExecStart')!.split(/\s+/);
const dataDir = execStart[execStart.indexOf('--data') + 1]!;

it('runs as its own user, hardened, writing only to the data directory its command line names', () => {
  expect(one('User')).toMatch(/^[a-z][a-z0-9-]*$/);
  expect(one('User')).not.toBe('root');
  expect(one('ProtectSystem')).toBe('strict');
  expect(one('NoNewPrivileges')).toBe('true');
  expect(one('PrivateTmp')).toBe('true');
  expect(one('ProtectHome')).toBe('true');
  expect(one('UMask')).toBe('0077');
  expect(one('CapabilityBoundingSet')).toBe('');
  expect(service.get('ReadWritePaths')).toEqual([dataDir]);
  // A bad configuration (exit 2) is not retried in a loop.
  expect(one('RestartPreventExitStatus')).toBe('2');
  expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
});

it('its ExecStart is a valid vigil command line: it collects, and stops cleanly on its KillSignal', async () => {
  expect(execStart[0]).toBe('/usr/bin/vigil');
  expect(execStart).toContain('collect');
  // The child collects on the system clock, from 90 days back (the unit gives no --since): the
  // simulated day ends at the current hour, so it falls inside that window.
  const clock = new ManualClock(new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString());
  sim = await startSimulator({ seed: 9, users: 4, days: 1, liveTraffic: false, clock });
  // The unit's command line as it is, with the test's binary and data directory in place of the installed ones.
  const dir = tempDir('vigil-unit-');
  writeFileSync(
    path.join(dir, 'vigil.yaml'),
    `sources:\n  - name: okta\n    type: okta\n    url: ${sim.baseUrl}\n    tokenEnv: OKTA_TOKEN\n`,
    { mode: 0o600 },
  );
  const args = execStart.slice(1).map((arg) => (arg === dataDir ? dir : arg));
  // The unit's own environment, if it sets any, as systemd would give it.
  const unitEnv = Object.fromEntries(
    (service.get('Environment') ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env['PATH'], OKTA_TOKEN: sim.token, ...unitEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Following: the first round's timestamped line, then the service manager's stop signal.
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (/^\S+Z okta: [1-9]\d* new events/m.test(stdout)) resolve();
    });
    void exited.then((code) => reject(new Error(`exited ${code} before its first round: ${stderr}`)));
  });
  child.kill(one('KillSignal') as NodeJS.Signals);
  expect(await exited, stderr).toBe(0);
  expect(stdout).toMatch(/^okta: [1-9]\d* new events/m);
  expect(stderr).not.toContain('\r');
});
