import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from './cli-harness.js';

const clock = new ManualClock('2026-03-10T12:00:00.000Z');
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 5, users: 5, days: 1, liveTraffic: false, clock, scenarios: [] });
});
afterAll(() => sim.close());

/** A data directory whose vigil.yaml is `yaml`. */
function dataDir(yaml: string): string {
  const dir = tempDir('vigil-hostile-config-');
  writeFileSync(path.join(dir, 'vigil.yaml'), yaml, { mode: 0o600 });
  return dir;
}

const source = (name: string, tokenEnv: string) =>
  `  - name: ${name}\n    type: okta\n    url: ${sim.baseUrl}\n    tokenEnv: ${tokenEnv}\n`;

describe('one source whose token is missing fails alone', () => {
  it('the other source still collects; the run names the missing variable and exits 1', async () => {
    const dir = dataDir(`sources:\n${source('okta-a', 'OKTA_TOKEN')}${source('okta-b', 'MISSING_TOKEN')}`);
    const r = await runVigil(
      ['--data', dir, 'collect', '--once', '--since', '2026-03-09T12:00:00Z', '--json'],
      { clock, env: { OKTA_TOKEN: sim.token } },
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      'source okta-b: environment variable MISSING_TOKEN is not set [CONFIG_SECRET_UNAVAILABLE]',
    );
    const summary = JSON.parse(r.stdout) as {
      sources: { source: string; stored: number; error?: { code: string } }[];
    };
    const bySource = new Map(summary.sources.map((s) => [s.source, s]));
    expect(bySource.get('okta-a')!.stored).toBeGreaterThan(0);
    expect(bySource.get('okta-a')!.error).toBeUndefined();
    expect(bySource.get('okta-b')!.error?.code).toBe('CONFIG_SECRET_UNAVAILABLE');
  });
});

describe('config values that overflow timers are refused, naming the key', () => {
  it.each([
    ['collect.pollIntervalSeconds', 'collect:\n  pollIntervalSeconds: 99999999999\n'],
    ['collect.requestTimeoutMs', 'collect:\n  requestTimeoutMs: 99999999999\n'],
    ['alerts.delivery.retryMaxSeconds', 'alerts:\n  delivery:\n    retryMaxSeconds: 99999999999\n'],
  ])('%s', async (key, yaml) => {
    const dir = dataDir(`sources:\n${source('okta-a', 'OKTA_TOKEN')}${yaml}`);
    const r = await runVigil(['--data', dir, 'collect', '--once'], { clock, env: { OKTA_TOKEN: sim.token } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('[CONFIG_INVALID]');
    expect(r.stderr).toContain(key);
  });

  it('--poll-interval beyond a day is a coded input error', async () => {
    const dir = dataDir(`sources:\n${source('okta-a', 'OKTA_TOKEN')}`);
    const r = await runVigil(['--data', dir, 'collect', '--poll-interval', '99999999999'], {
      clock,
      env: { OKTA_TOKEN: sim.token },
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('[CLI_BAD_NUMBER]');
  });
});
