import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../src/core/clock.js';
import { Runtime } from '../../src/runtime/runtime.js';
import { consoleSealKey } from '../../src/server/auth/auth-plugin.js';
import { ConsoleAuth } from '../../src/server/auth/console-auth.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { tempDir } from '../support/temp-dir.js';

const BIN = path.resolve('bin/vigil.js');
let sim: RunningSimulator | undefined;
afterAll(() => sim?.close());

/** An API token for a console viewer, written into the data directory before the console starts. */
async function viewerToken(dataDir: string): Promise<string> {
  const runtime = await Runtime.open({
    dataDir,
    access: 'write',
    env: { OKTA_TOKEN: 'x' },
    clock: systemClock,
  });
  try {
    const auth = new ConsoleAuth({
      store: runtime.store,
      clock: systemClock,
      audit: runtime.auditLog(),
      origin: 'http://127.0.0.1:1',
      secure: false,
      rpName: 'Vigil',
      sealKey: consoleSealKey(runtime),
    });
    const user = await auth.accounts.add('scraper', 'viewer');
    return (await auth.tokens.create(user, 'viewer', 'test')).token;
  } finally {
    await runtime.close();
  }
}

it('vigil serve --collect keeps collecting while requests fail, and stops both cleanly on SIGTERM', async () => {
  const clock = new ManualClock(new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString());
  sim = await startSimulator({ seed: 5, users: 4, days: 1, liveTraffic: false, clock });
  const dir = tempDir('vigil-serve-');
  writeFileSync(
    path.join(dir, 'vigil.yaml'),
    `sources:\n  - name: okta\n    type: okta\n    url: ${sim.baseUrl}\n    tokenEnv: OKTA_TOKEN\ncollect:\n  pollIntervalSeconds: 1\n`,
    { mode: 0o600 },
  );
  const token = await viewerToken(dir);
  const child = spawn(process.execPath, [BIN, '--data', dir, 'serve', '--port', '0', '--collect'], {
    env: { PATH: process.env['PATH'], OKTA_TOKEN: sim.token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = stdout.match(pattern);
        if (m) resolve(m);
      };
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        check();
      });
      check();
      void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
  const [, origin] = await waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+), collecting/);
  await waitFor(/^\S+Z okta: [1-9]\d* new events/m);
  const rounds = () => stdout.match(/^\S+Z okta: \d+ new events/gm)?.length ?? 0;
  const before = rounds();

  // Requests that fail: bad input, no session, a body that is not JSON, an unknown route.
  const auth = { authorization: `Bearer ${token}` };
  expect((await fetch(`${origin}/api/v1/events?from=nonsense`, { headers: auth })).status).toBe(400);
  expect((await fetch(`${origin}/api/v1/alerts`)).status).toBe(401);
  const garbage = await fetch(`${origin}/api/v1/reveal`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: '{not json',
  });
  expect(garbage.status).toBe(400);
  expect((await fetch(`${origin}/api/v1/nothing-here`, { headers: auth })).status).toBe(404);

  // Collection went on: another round after the failures, its events served by the same process.
  await waitFor(new RegExp(`(?:^\\S+Z okta: \\d+ new events[^\\n]*\\n[^]*){${before + 1}}`, 'm'));
  expect(rounds()).toBeGreaterThan(before);
  const overview = (await (await fetch(`${origin}/api/v1/overview`, { headers: auth })).json()) as {
    sources: { source: string; events: number; collection: { lastRound: string | null } | null }[];
  };
  expect(overview.sources[0]).toMatchObject({ source: 'okta' });
  expect(overview.sources[0]!.events).toBeGreaterThan(0);
  expect(overview.sources[0]!.collection?.lastRound).not.toBeNull();
  const ready = (await (await fetch(`${origin}/readyz`)).json()) as { status: string; collecting: boolean };
  expect(ready).toMatchObject({ status: 'ready', collecting: true });
  const metrics = await (await fetch(`${origin}/metrics`, { headers: auth })).text();
  expect(metrics).toMatch(/vigil_events_collected_total\{source="okta"\} [1-9]/);
  expect(metrics).toMatch(/vigil_collection_rounds_total\{source="okta",result="ok"\} [1-9]/);

  child.kill('SIGTERM');
  expect(await exited, stderr).toBe(0);
  expect(stdout).toContain('vigil serve: stopped');
  // Its log is JSON lines with request ids and no personal data or secrets.
  const lines = stderr.split('\n').filter((l) => l.startsWith('{'));
  expect(lines.length).toBeGreaterThan(3);
  for (const line of lines) {
    const entry = JSON.parse(line) as { reqId?: string };
    expect(line).not.toContain(token);
    expect(line).not.toContain('nonsense');
    if (entry.reqId !== undefined) expect(entry.reqId).toMatch(/^[0-9a-f-]{36}$/);
  }
});
