import { existsSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/cli-context.js';
import { runCli } from '../../src/cli/main.js';
import { ManualClock } from '../../src/core/clock.js';
import { AlertStore } from '../../src/alerts/alert-store.js';
import type { AlertView } from '../../src/alerts/alert-view.js';
import { openSqliteStore, STORE_FILE } from '../../src/store/sqlite/open-sqlite.js';
import { tempDir } from '../support/temp-dir.js';
import { T0, buildDetection } from './build-detection.js';

const sink = () => {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
};

async function vigil(dataDir: string, clock: ManualClock, ...args: string[]) {
  const out = sink();
  const err = sink();
  const ctx: CliContext = {
    stdout: out.stream,
    stderr: err.stream,
    env: { USER: 'carol' },
    clock,
    cwd: dataDir,
    exitCode: 0,
    signal: new AbortController().signal,
  };
  const code = await runCli(['node', 'vigil', '--data', dataDir, ...args], ctx);
  return { code, stdout: out.text(), stderr: err.text() };
}

let dataDir: string;
let clock: ManualClock;
let ids: { low: string; high: string; critical: string };

beforeEach(async () => {
  dataDir = tempDir('vigil-alerts-cli-');
  clock = new ManualClock(T0 + 60_000);
  const opened = await openSqliteStore({ dataDir, access: 'write' });
  const store = new AlertStore(opened.db, { clock });
  const low = await store.record(
    buildDetection({ dedupKey: 'l', severity: 'low', timeMs: T0, entity: { type: 'ip', id: '192.0.2.1' } }),
  );
  const high = await store.record(
    buildDetection({
      dedupKey: 'h',
      severity: 'high',
      timeMs: T0 + 1000,
      entity: { type: 'ip', id: '192.0.2.2' },
    }),
  );
  const critical = await store.record(
    buildDetection({ dedupKey: 'c', severity: 'critical', timeMs: T0 + 2000 }),
  );
  await store.record(
    buildDetection({ dedupKey: 'c', severity: 'critical', timeMs: T0 + 3000, eventIds: ['e2'] }),
  );
  await opened.close();
  ids = { low: low.alert.id, high: high.alert.id, critical: critical.alert.id };
});

describe('vigil alerts', () => {
  it('lists alerts as JSON, newest activity first, with the public contract fields', async () => {
    const { code, stdout } = await vigil(dataDir, clock, 'alerts', '--json');
    expect(code).toBe(0);
    const alerts = JSON.parse(stdout) as AlertView[];
    expect(alerts.map((a) => a.id)).toEqual([ids.critical, ids.high, ids.low]);
    expect(alerts[0]).toMatchObject({
      rule: { id: 'vigil.mfa.push-fatigue' },
      severity: 'critical',
      count: 2,
      events: ['e1', 'e2'],
    });
  });

  it('filters by --status and by minimum --severity', async () => {
    await vigil(dataDir, clock, 'alerts', 'ack', ids.high);
    const open = JSON.parse(
      (await vigil(dataDir, clock, 'alerts', '--status', 'open', '--json')).stdout,
    ) as AlertView[];
    expect(open.map((a) => a.id)).toEqual([ids.critical, ids.low]);
    const severe = JSON.parse(
      (await vigil(dataDir, clock, 'alerts', '--severity', 'high', '--json')).stdout,
    ) as AlertView[];
    expect(severe.map((a) => a.id)).toEqual([ids.critical, ids.high]);
  });

  it('prints a table by default', async () => {
    const { stdout } = await vigil(dataDir, clock, 'alerts');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+STATUS/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(ids.critical);
  });

  it('acknowledges then resolves an alert, recording who and when from the clock', async () => {
    clock.advance(5 * 60_000);
    expect((await vigil(dataDir, clock, 'alerts', 'ack', ids.high)).stdout).toBe(
      `${ids.high} is now acknowledged\n`,
    );
    clock.advance(60_000);
    const { code, stdout } = await vigil(
      dataDir,
      clock,
      'alerts',
      'resolve',
      ids.high,
      '--by',
      'dave',
      '--note',
      'benign',
      '--json',
    );
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as AlertView).transitions).toEqual([
      { from: 'open', to: 'acknowledged', by: 'carol', at: new Date(T0 + 6 * 60_000).toISOString() },
      {
        from: 'acknowledged',
        to: 'resolved',
        by: 'dave',
        at: new Date(T0 + 7 * 60_000).toISOString(),
        note: 'benign',
      },
    ]);
  });

  it('exits 2 with a stable code for bad input: unknown id, invalid transition, bad filter', async () => {
    const unknown = await vigil(dataDir, clock, 'alerts', 'ack', 'a-missing');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('[ALERT_NOT_FOUND]');
    await vigil(dataDir, clock, 'alerts', 'resolve', ids.low);
    const again = await vigil(dataDir, clock, 'alerts', 'ack', ids.low);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('[ALERT_INVALID_TRANSITION]');
    const bad = await vigil(dataDir, clock, 'alerts', '--severity', 'urgent');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('[ALERT_BAD_FILTER]');
  });

  it('exits 2 with STORE_MISSING on a data directory without a store, and creates none', async () => {
    const empty = tempDir('vigil-alerts-empty-');
    const { code, stderr } = await vigil(empty, clock, 'alerts', '--json');
    expect(code).toBe(2);
    expect(stderr).toContain('[STORE_MISSING]');
    expect(existsSync(path.join(empty, STORE_FILE))).toBe(false);
  });
});
