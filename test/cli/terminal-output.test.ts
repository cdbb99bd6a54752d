import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/cli-context.js';
import { runCli } from '../../src/cli/main.js';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { ABROAD, HOME, oktaEvent, signIn, T0 } from '../support/okta-events.js';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from './cli-harness.js';

const BIN = path.resolve('bin/vigil.js');
const NOW = '2026-03-10T12:00:00Z';
let sim: RunningSimulator;
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  sim = await startSimulator({
    seed: 11,
    users: 8,
    days: 1,
    liveTraffic: false,
    clock: new ManualClock(NOW),
    scenarios: [{ name: 'har-2023' }],
  });
  dataDir = tempDir('vigil-terminal-');
  writeFileSync(
    path.join(dataDir, 'vigil.yaml'),
    `sources:\n  - name: okta\n    type: okta\n    url: ${sim.baseUrl}\n    tokenEnv: OKTA_TOKEN\n`,
    { mode: 0o600 },
  );
  env = { OKTA_TOKEN: sim.token };
});
afterAll(() => sim.close());

/** A stream that says it is a terminal of `columns` columns, as process.stderr does on one. */
function terminalStream(columns: number, append: (s: string) => void): Writable {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      append(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { isTTY: true, columns });
}

/** `vigil ...` in-process with stdout and stderr on a terminal `columns` wide. */
async function onTerminal(args: string[], columns: number, extraEnv: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    stdout: terminalStream(columns, (s) => (stdout += s)),
    stderr: terminalStream(columns, (s) => (stderr += s)),
    env: { ...env, ...extraEnv },
    clock: new ManualClock(NOW),
    cwd: process.cwd(),
    exitCode: 0,
    signal: new AbortController().signal,
  };
  const code = await runCli(['node', 'vigil', ...args], ctx);
  return { code, stdout, stderr };
}

const visible = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''); // eslint-disable-line no-control-regex

describe('progress', () => {
  it('goes to a terminal rewritten in place and cut to its width, never as a wrapped line', async () => {
    const r = await onTerminal(
      ['--data', dataDir, 'collect', '--once', '--since', '2026-03-09T00:00:00Z'],
      60,
    );
    expect(r.code, r.stderr).toBe(0);
    const updates = r.stderr.split('\r').filter((s) => s.startsWith('okta:'));
    expect(updates.length).toBeGreaterThan(0);
    for (const u of updates) {
      // Each update clears the rest of the row, so a shorter one leaves no tail.
      expect(u.split('\n')[0]).toMatch(/\x1b\[K$/); // eslint-disable-line no-control-regex
      expect(visible(u.split('\n')[0]!).length).toBeLessThan(60);
    }
  });

  it('never reaches a file or a pipe: no \\r in the real CLI output', async () => {
    const dir = tempDir('vigil-terminal-pipe-');
    writeFileSync(path.join(dir, 'vigil.yaml'), readFileSync(path.join(dataDir, 'vigil.yaml')), {
      mode: 0o600,
    });
    const run = promisify(execFile);
    const collected = await run(
      process.execPath,
      [BIN, '--data', dir, 'collect', '--once', '--since', '2026-03-09T00:00:00Z'],
      {
        env: { PATH: process.env['PATH'], ...env },
      },
    );
    expect(collected.stdout).toMatch(/okta: [1-9]\d* new events/);
    expect(collected.stderr + collected.stdout).not.toContain('\r');
    const verified = await run(process.execPath, [BIN, '--data', dir, 'verify'], {
      env: { PATH: process.env['PATH'] },
    });
    expect(verified.stdout).toMatch(/verify: OK/);
    expect(verified.stderr + verified.stdout).not.toContain('\r');
  });
});

describe('tables', () => {
  it('fit 80 columns in a file or pipe, cutting long cells with …', async () => {
    const r = await runVigil(['--data', dataDir, 'events', '--limit', '50'], { env });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PUBLISHED\s+TYPE\s+ACTOR\s+IP\s+OUTCOME$/);
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(r.stdout).toContain('…');
  });

  it('fit the terminal they are printed on', async () => {
    for (const columns of [60, 100]) {
      const r = await onTerminal(['--data', dataDir, 'events', '--limit', '50'], columns);
      for (const line of r.stdout.trimEnd().split('\n'))
        expect(visible(line).length).toBeLessThanOrEqual(columns);
    }
    const alerts = await onTerminal(['--data', dataDir, 'alerts'], 70);
    expect(alerts.stdout).toMatch(/^ID\s+SEVERITY/);
    for (const line of alerts.stdout.trimEnd().split('\n'))
      expect(visible(line).length).toBeLessThanOrEqual(70);
  });

  it('colour severities on a terminal unless NO_COLOR is set; never in a pipe', async () => {
    const file = path.join(tempDir('vigil-terminal-detect-'), 'events.jsonl');
    const events = [
      signIn('ann', { at: T0, from: HOME }),
      signIn('ann', { at: T0 + 20 * 60_000, from: ABROAD }),
      oktaEvent({ eventType: 'system.api_token.create', at: T0 + 30 * 60_000 }),
    ];
    writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n'));
    const coloured = await onTerminal(['detect', '--input', file], 80);
    expect(coloured.stdout).toMatch(/\x1b\[3[13]m(high|medium)/); // eslint-disable-line no-control-regex
    const plain = await onTerminal(['detect', '--input', file], 80, { NO_COLOR: '1' });
    expect(plain.stdout).not.toContain('\x1b');
    expect(visible(coloured.stdout)).toBe(plain.stdout);
    const piped = await runVigil(['detect', '--input', file]);
    expect(piped.stdout).toBe(plain.stdout);
  });
});

describe('follow mode', () => {
  it('prints a timestamped line per round, and a summary of the whole run when stopped', async () => {
    const dir = tempDir('vigil-terminal-follow-');
    writeFileSync(path.join(dir, 'vigil.yaml'), readFileSync(path.join(dataDir, 'vigil.yaml')), {
      mode: 0o600,
    });
    const r = await runVigil(['--data', dir, 'collect', '--since', '2026-03-09T00:00:00Z'], {
      env,
      // Stopped (as by SIGINT) once the first round's line is out.
      onStdout: (all, abort) => {
        if (/ okta: .*\n/.test(all)) abort();
      },
    });
    expect(r.code, r.stderr).toBe(0);
    const [round, ...summary] = r.stdout.trimEnd().split('\n');
    expect(round).toMatch(
      /^2026-03-10T12:00:00\.000Z okta: [1-9]\d* new events, 0 duplicates, \d+ pages \(run: \d+ events\)/,
    );
    const stored = Number(/okta: (\d+) new events/.exec(round!)![1]);
    expect(summary.join('\n')).toContain(`okta: ${stored} new events`);
    expect(summary.join('\n')).toMatch(/alerts: [1-9]\d* raised .* \d+ delivered/);
  });
});

it('vigil --version prints the version in package.json', async () => {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, '--version']);
  expect(stdout.trim()).toBe(version);
});
