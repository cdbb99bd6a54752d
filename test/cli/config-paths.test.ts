import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from './cli-harness.js';

let sim: RunningSimulator | undefined;
afterAll(() => sim?.close());

/**
 * docs/configuration.md "Paths": a relative path in vigil.yaml (token file, sink secret file, CA
 * file, rule folder) resolves against the directory holding vigil.yaml, whatever the working
 * directory; a path given on the command line resolves against the working directory.
 */
it('a relative tokenFile resolves against the data directory, not the working directory', async () => {
  const clock = new ManualClock('2026-03-10T12:00:00Z');
  sim = await startSimulator({ seed: 5, users: 3, days: 1, liveTraffic: false, clock });
  const dataDir = tempDir('vigil-paths-');
  mkdirSync(path.join(dataDir, 'secrets'), { mode: 0o700 });
  writeFileSync(path.join(dataDir, 'secrets', 'okta-token'), `${sim.token}\n`, { mode: 0o600 });
  writeFileSync(
    path.join(dataDir, 'vigil.yaml'),
    `sources:\n  - name: okta\n    type: okta\n    url: ${sim.baseUrl}\n    tokenFile: secrets/okta-token\n`,
    { mode: 0o600 },
  );
  const elsewhere = tempDir('vigil-cwd-');
  const r = await runVigil(['--data', dataDir, 'collect', '--once', '--since', '2026-03-09T00:00:00Z'], {
    cwd: elsewhere,
    clock,
  });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/okta: [1-9]\d* new events/);
});

it('source add stores a --token-file given relative to the working directory as an absolute path', async () => {
  const dataDir = tempDir('vigil-paths-add-');
  const cwd = tempDir('vigil-paths-cwd-');
  const r = await runVigil(
    [
      '--data',
      dataDir,
      'source',
      'add',
      'okta',
      '--name',
      'okta',
      '--url',
      'https://acme.okta.com',
      '--token-file',
      'okta-token',
    ],
    { cwd },
  );
  expect(r.code, r.stderr).toBe(0);
  const config = parse(readFileSync(path.join(dataDir, 'vigil.yaml'), 'utf8')) as {
    sources: { tokenFile: string }[];
  };
  expect(config.sources[0]!.tokenFile).toBe(path.join(cwd, 'okta-token'));
});
