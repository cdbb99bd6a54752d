import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { runVigil } from '../cli/cli-harness.js';
import { tempDir } from '../support/temp-dir.js';

const clock = new ManualClock('2026-03-10T12:00:00.000Z');
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 5, users: 5, days: 1, liveTraffic: false, clock });
});
afterAll(async () => sim.close());

describe('source tokens stay out of the configuration and away from other users', () => {
  it('refuses a token file others can read, and collects once it is 0600; vigil.yaml never holds it', async () => {
    const dir = tempDir('vigil-token-');
    const tokenFile = path.join(dir, 'okta.token');
    writeFileSync(tokenFile, sim.token + '\n', { mode: 0o644 });
    chmodSync(tokenFile, 0o644);
    const vigil = (...args: string[]) => runVigil(['--data', path.join(dir, 'data'), ...args], { clock });
    const added = await vigil(
      'source',
      'add',
      'okta',
      '--name',
      'okta',
      '--url',
      sim.baseUrl,
      '--token-file',
      tokenFile,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'data', 'vigil.yaml'), 'utf8')).not.toContain(sim.token);

    const refused = await vigil('collect', '--once', '--since', '2026-03-09T00:00:00Z');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('readable by others');
    expect(refused.stderr).not.toContain(sim.token);

    chmodSync(tokenFile, 0o600);
    const collected = await vigil('collect', '--once', '--since', '2026-03-09T00:00:00Z', '--json');
    expect(collected.code, collected.stderr).toBe(0);
    expect(collected.stdout + collected.stderr).not.toContain(sim.token);
  });

  it('names the missing environment variable without exposing any secret', async () => {
    const dir = tempDir('vigil-token-');
    const vigil = (...args: string[]) => runVigil(['--data', dir, ...args], { clock, env: {} });
    await vigil('source', 'add', 'okta', '--name', 'okta', '--url', sim.baseUrl, '--token-env', 'OKTA_TOKEN');
    const r = await vigil('collect', '--once');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('OKTA_TOKEN');
  });
});
