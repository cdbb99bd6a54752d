import { appendFileSync, chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createSigningKeyFile, signingKeyPath } from '../../src/keys/signing-key-file.js';
import { ledgerLog, ledgerOrigin } from '../../src/ledger/ledger-log.js';
import { formatVerifierKey } from '../../src/ledger/note-key.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { runVigil } from '../cli/cli-harness.js';
import { tempDir } from '../support/temp-dir.js';

const clock = new ManualClock('2026-03-10T12:00:00.000Z');
let sim: RunningSimulator;
const origin = ledgerOrigin('okta');

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, users: 5, days: 1, liveTraffic: false, clock, scenarios: [] });
});
afterAll(() => sim.close());

function dataDir(extra = ''): string {
  const dir = tempDir('vigil-keydir-data-');
  writeFileSync(
    path.join(dir, 'vigil.yaml'),
    `sources:\n  - name: okta\n    type: okta\n    url: ${sim.baseUrl}\n    tokenEnv: OKTA_TOKEN\n${extra}`,
    { mode: 0o600 },
  );
  return dir;
}
const vigil = (dir: string, env: NodeJS.ProcessEnv, ...args: string[]) =>
  runVigil(['--data', dir, ...args], { clock, env: { OKTA_TOKEN: sim.token, ...env } });
const collect = (dir: string, env: NodeJS.ProcessEnv = {}) =>
  vigil(dir, env, 'collect', '--once', '--since', '2026-03-09T12:00:00Z');

describe('the signing key outside the data directory', () => {
  it('$VIGIL_KEY_DIR: the key is made there (0700 / 0600), never in the data directory', async () => {
    const data = dataDir();
    const keys = path.join(tempDir('vigil-keydir-'), 'keys');
    const r = await collect(data, { VIGIL_KEY_DIR: keys });
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(keys).mode & 0o777).toBe(0o700);
    expect(statSync(signingKeyPath({ dir: keys, create: true, from: '' }, origin)).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(data, 'keys'))).toBe(false);
    expect((await vigil(data, { VIGIL_KEY_DIR: keys }, 'verify')).code).toBe(0);
    // Someone with the data directory alone has no key to trust, and is told where to find one.
    const alone = await vigil(data, {}, 'verify');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('[KEY_FILE_MISSING]');
  });

  it('keys.dir in vigil.yaml, relative to the data directory', async () => {
    const outside = tempDir('vigil-keydir-');
    const data = dataDir();
    appendFileSync(path.join(data, 'vigil.yaml'), `keys:\n  dir: ${path.relative(data, outside)}\n`);
    expect((await collect(data)).code).toBe(0);
    expect(existsSync(path.join(outside, `${origin.replace('/', '_')}.key`))).toBe(true);
    expect(existsSync(path.join(data, 'keys'))).toBe(false);
  });

  it("$CREDENTIALS_DIRECTORY: systemd's read-only copy of the key signs; nothing is created there", async () => {
    const credentials = tempDir('vigil-credentials-');
    const file = path.join(credentials, `${origin.replace('/', '_')}.key`);
    const signer = createSigningKeyFile(file, origin);
    chmodSync(file, 0o400);
    // Collection also ledgers the detection mark and alerts, each log with its own key.
    const others = [ledgerLog('okta', 'detection-marks'), ledgerLog('okta', 'alerts')].map((log) =>
      ledgerOrigin(log),
    );
    const otherKeys = others.map((other) => {
      const otherFile = path.join(credentials, `${other.replaceAll('/', '_')}.key`);
      const otherSigner = createSigningKeyFile(otherFile, other);
      chmodSync(otherFile, 0o400);
      return formatVerifierKey(otherSigner);
    });
    const data = dataDir();
    const env = { CREDENTIALS_DIRECTORY: credentials };
    const collected = await collect(data, env);
    expect(collected.code, collected.stderr).toBe(0);
    expect(existsSync(path.join(data, 'keys'))).toBe(false);
    expect(existsSync(file.replace(/\.key$/, '.vkey'))).toBe(false);
    const key = await vigil(data, env, 'ledger', 'key');
    expect(key.stdout.trim()).toBe(formatVerifierKey(signer));
    const vkeys = [formatVerifierKey(signer), ...otherKeys].flatMap((k) => ['--vkey', k]);
    const verified = await vigil(data, {}, 'verify', ...vkeys);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });

  it('a key directory others may write is refused at start-up, naming it', async () => {
    const keys = path.join(tempDir('vigil-keydir-'), 'keys');
    mkdirSync(keys);
    chmodSync(keys, 0o777);
    const data = dataDir();
    const r = await collect(data, { VIGIL_KEY_DIR: keys });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`key directory ${keys} ($VIGIL_KEY_DIR) is mode 777`);
    expect(r.stderr).toContain('[KEY_DIR_INSECURE]');
    expect(existsSync(path.join(data, 'vigil.db'))).toBe(false);
  });
});
