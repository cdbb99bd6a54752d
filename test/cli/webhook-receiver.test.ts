import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';

const BIN = path.resolve('bin/vigil.js');
const RECEIVER = path.resolve('docs/examples/webhook-receiver.mjs');
let receiver: ChildProcess | undefined;
afterEach(() => {
  receiver?.kill();
});

/** The documented receiver, running: its port, and everything it has printed so far. */
async function startReceiver(secret: string) {
  let out = '';
  receiver = spawn(process.execPath, [RECEIVER], {
    env: { PATH: process.env['PATH'], PORT: '0', VIGIL_WEBHOOK_SECRET: secret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    receiver!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    receiver!.on('exit', (code) => reject(new Error(`receiver exited ${code}`)));
  });
  return { port, printed: () => out };
}

/** `vigil alerts test` in a child process (the system clock, as a real delivery is signed). */
async function alertsTest(port: number, secret: string) {
  const dir = tempDir('vigil-webhook-');
  writeFileSync(
    path.join(dir, 'vigil.yaml'),
    `alerts:\n  sinks:\n    - type: webhook\n      name: soc\n      url: http://127.0.0.1:${port}/vigil\n      secret: { env: HOOK_SECRET }\n      retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 }\n`,
    { mode: 0o600 },
  );
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, '--data', dir, 'alerts', 'test'], {
      env: { PATH: process.env['PATH'], HOOK_SECRET: secret },
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

it('docs/configuration.md shows the receiver file verbatim', () => {
  const doc = readFileSync('docs/configuration.md', 'utf8');
  expect(doc).toContain(readFileSync(RECEIVER, 'utf8'));
});

it('the documented receiver accepts a real signed delivery from vigil alerts test', async () => {
  const { port, printed } = await startReceiver('correct horse');
  const r = await alertsTest(port, 'correct horse');
  expect(r.stdout).toContain('soc: delivered');
  expect(r.code).toBe(0);
  // It printed the alert it verified: the JSON body Vigil signed.
  const body = printed()
    .split('\n')
    .find((line) => line.startsWith('{'));
  expect(JSON.parse(body!)).toMatchObject({ type: 'vigil.alert', version: 1, alert: { rule: {} } });
});

it('the documented receiver refuses a delivery signed with another secret', async () => {
  const { port, printed } = await startReceiver('correct horse');
  const r = await alertsTest(port, 'wrong secret');
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/soc: FAILED/);
  expect(printed()).not.toContain('{');
});
