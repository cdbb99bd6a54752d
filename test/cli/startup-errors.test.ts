import { execFile } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from './cli-harness.js';

const BIN = path.resolve('bin/vigil.js');
const run = promisify(execFile);

/** The real CLI (bin/vigil.js over dist/) in a child process; one that hangs fails the test after 20 s. */
async function vigil(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { PATH: process.env['PATH'], ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string; killed?: boolean };
    if (e.killed) throw new Error(`vigil ${args.join(' ')} did not exit within 20 s (it hung)`);
    return { code: e.code ?? -1, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every file under `dir`, relative, sorted: to show a command created nothing. */
const filesUnder = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

function dataDirWith(alerts: string): string {
  const dir = tempDir('vigil-startup-');
  writeFileSync(
    path.join(dir, 'vigil.yaml'),
    `sources:\n  - name: okta\n    type: okta\n    url: http://127.0.0.1:9\n    tokenEnv: OKTA_TOKEN\nalerts:\n${alerts}`,
    { mode: 0o600 },
  );
  return dir;
}

describe('vigil collect with a bad alerts: section', () => {
  const cases: [string, string, RegExp][] = [
    [
      'an unknown key',
      '  sinks:\n    - type: webhook\n      name: soc\n      url: https://hooks.example/x\n      secret: { env: HOOK_SECRET }\n      colour: red\n',
      /alerts\.sinks\.0 \(webhook "soc"\).*colour/,
    ],
    [
      'a value of the wrong type',
      '  sinks:\n    - type: syslog\n      name: siem\n      protocol: tcp\n      host: 127.0.0.1\n      port: "514"\n',
      /alerts\.sinks\.0 \(syslog "siem"\): port: /,
    ],
    [
      'a secret whose environment variable is unset',
      '  sinks:\n    - type: slack\n      name: oncall\n      webhookUrl: { env: SLACK_URL }\n',
      /alerts\.sinks\.0 \(slack "oncall"\): environment variable SLACK_URL is not set/,
    ],
  ];
  it.each(cases)('%s: exits 2, naming the sink, and opens nothing', async (_, alerts, names) => {
    const dir = dataDirWith(alerts);
    const result = await vigil(['--data', dir, 'collect', '--once'], { OKTA_TOKEN: 't' });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(names);
    expect(result.stderr).not.toMatch(/unexpected|ZodError/);
    // Checked before the store opens: no database, no key, only the config that was there.
    expect(filesUnder(dir)).toEqual(['vigil.yaml']);
  });
});

it('vigil collect with no sources exits 2 and creates nothing', async () => {
  const dir = tempDir('vigil-nosources-');
  const result = await vigil(['--data', dir, 'collect', '--once']);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/CUSTODY_NO_SOURCES/);
  expect(filesUnder(dir)).toEqual([]);
});

describe('verifiers never create or change the trust they check against', () => {
  async function collectedStore() {
    const dir = tempDir('vigil-trust-');
    const demo = await runVigil(['--data', dir, 'demo', '--users', '10', '--days', '1', '--json']);
    expect(demo.code, demo.stderr).toBe(0);
    return dir;
  }

  it('vigil verify with the key files deleted fails, naming the key file, and creates no file', async () => {
    const dir = await collectedStore();
    rmSync(path.join(dir, 'keys'), { recursive: true });
    const before = filesUnder(dir);
    const result = await vigil(['--data', dir, 'verify']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/KEY_FILE_MISSING/);
    expect(result.stderr).toContain(path.join(dir, 'keys', 'vigil.local_okta.vkey'));
    expect(filesUnder(dir)).toEqual(before);
  });

  it('vigil ledger key --source nosuch exits 2 and creates no key', async () => {
    const dir = await collectedStore();
    const before = filesUnder(dir);
    const result = await vigil(['--data', dir, 'ledger', 'key', '--source', 'nosuch']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/KEY_FILE_MISSING/);
    expect(filesUnder(dir)).toEqual(before);
  });

  it('reading commands on a data directory with no store exit 2 and create nothing', async () => {
    const dir = tempDir('vigil-empty-');
    for (const args of [['verify'], ['events'], ['ledger', 'checkpoint'], ['alerts']]) {
      const result = await vigil(['--data', dir, ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/STORE_MISSING/);
      expect(filesUnder(dir), args.join(' ')).toEqual([]);
    }
  });
});
