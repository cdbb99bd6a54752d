import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { formatVerifierKey, generateSigner } from '../src/ledger/note-key.js';
import { startSimulator, type RunningSimulator } from '../src/sim/simulator.js';
import { runVigil } from '../test/cli/cli-harness.js';
import { tempDir } from '../test/support/temp-dir.js';
import { buildGoProgram, HAS_GO, RUN_GO_SUITES } from './go-toolchain.js';

/**
 * Issue 14: an evidence bundle's README carries its own verifier, a short Go program over
 * golang.org/x/mod/sumdb/{note,tlog}, and sha256sum steps. This takes both out of the README of a
 * bundle exported through the real CLI, builds the program with Go (offline, Debian's x/mod) and
 * runs it on the bundle and on tampered copies; the shell steps run through bash.
 */
const clock = new ManualClock('2026-03-10T12:00:00.000Z');
let sim: RunningSimulator;
let bundle = '';
let vkey = '';
let readme = '';
let checker = '';

const vigil = (dir: string, ...args: string[]) =>
  runVigil(['--data', dir, ...args], { clock, env: { OKTA_TOKEN: sim.token } });

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, users: 8, days: 1, liveTraffic: false, clock });
  const data = tempDir('vigil-bundle-go-');
  writeFileSync(
    path.join(data, 'vigil.yaml'),
    `sources:\n  - name: okta\n    type: okta\n    url: ${sim.baseUrl}\n    tokenEnv: OKTA_TOKEN\n`,
    { mode: 0o600 },
  );
  const collected = await vigil(data, 'collect', '--once', '--since', '2026-03-09T00:00:00Z');
  expect(collected.code, collected.stderr).toBe(0);
  bundle = path.join(tempDir('vigil-bundle-out-'), 'bundle');
  const exported = await vigil(data, 'export', '--out', bundle);
  expect(exported.code, exported.stderr).toBe(0);
  vkey = (await vigil(data, 'ledger', 'key')).stdout.trim();
  readme = readFileSync(path.join(bundle, 'README.md'), 'utf8');
  if (!HAS_GO) return; // CI without Go: each test fails in buildGoProgram, naming what to install
  const program = /```go\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(program, 'the README has a ```go block').toBeDefined();
  const dir = tempDir('vigil-bundle-check-');
  writeFileSync(path.join(dir, 'main.go'), program!);
  checker = buildGoProgram(path.join(dir, 'main.go'), 'bundle-check');
}, 120_000);
afterAll(() => sim?.close());

function check(folder: string, key = vkey) {
  if (!checker) buildGoProgram('', 'bundle-check'); // fails naming the packages to install
  return spawnSync(checker, [folder, key], { encoding: 'utf8' });
}

function tampered(edit: (folder: string) => void): string {
  const copy = path.join(tempDir('vigil-bundle-tampered-'), 'bundle');
  cpSync(bundle, copy, { recursive: true });
  edit(copy);
  return copy;
}

describe.skipIf(!RUN_GO_SUITES)("the bundle README's Go verifier", () => {
  it('accepts the bundle as exported', () => {
    const run = check(bundle);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const size = Number(readFileSync(path.join(bundle, 'checkpoint.txt'), 'utf8').split('\n')[1]);
    expect(run.stdout).toBe(
      `OK: vigil.local/okta, tree size ${size}: every event in events.jsonl is in the signed log, byte for byte\n`,
    );
  });

  it('rejects an event changed by one byte, a dropped proof, and a checkpoint under another key', () => {
    const changed = tampered((dir) => {
      const file = path.join(dir, 'events.jsonl');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"outcome":', '"outcome" :'));
    });
    expect(check(changed)).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/does not hold the bytes/),
    });
    const dropped = tampered((dir) => {
      const file = path.join(dir, 'proofs.jsonl');
      writeFileSync(file, readFileSync(file, 'utf8').split('\n').slice(1).join('\n'));
    });
    expect(check(dropped)).toMatchObject({ status: 1, stderr: expect.stringMatching(/has no proof/) });
    const otherKey = formatVerifierKey(generateSigner('vigil.local/okta'));
    expect(check(bundle, otherKey)).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/checkpoint\.txt/),
    });
  });

  it("the README's sha256sum steps give the rawSha256 its proof's leaf envelope records", () => {
    const steps = readme.split('\n').filter((l) => l.startsWith('    sed -n Kp '));
    expect(steps).toHaveLength(2);
    const sh = (command: string) =>
      execFileSync('bash', ['-c', command.trim().replaceAll('Kp', '3p')], { cwd: bundle, encoding: 'utf8' });
    const sum = sh(steps[0]!).split(' ')[0];
    const envelope = JSON.parse(sh(steps[1]!)) as { rawSha256: string };
    expect(sum).toMatch(/^[0-9a-f]{64}$/);
    expect(envelope.rawSha256).toBe(sum);
  });
});
