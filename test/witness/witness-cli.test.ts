import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createCosigner, formatCosignatureVerifierKey } from '../../src/ledger/cosignature-v1.js';
import { openNote } from '../../src/ledger/signed-note.js';
import { parseVerifierKey } from '../../src/ledger/note-key.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { runVigil } from '../cli/cli-harness.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * Issue 14, "checkpoints leave the host", through the real CLI: one data directory collects from
 * the simulator, another runs `vigil witness serve` as a child process (bin/vigil.js over dist/) on
 * a loopback port; a webhook receiver stands in for an alert sink.
 */
const BIN = path.resolve('bin/vigil.js');
const T0 = '2026-03-10T12:00:00.000Z';
const clock = new ManualClock(T0);
let sim: RunningSimulator;
let hook: Server;
const hookBodies: { alert: { rule: { id: string }; severity: string; description: string } }[] = [];
let witness: ChildProcess;
let witnessUrl = '';
let witnessDir = '';
let witnessVkey = '';
/** The collector's data directory once the witness has cosigned, and a copy of it from before. */
let collector = '';
let olderCopy = '';
let firstCollect: { code: number; stdout: string; stderr: string };
let secondCollect: { code: number; stdout: string; stderr: string };

const vigil = (dir: string, ...args: string[]) =>
  runVigil(['--data', dir, ...args], { clock, env: { OKTA_TOKEN: sim.token, HOOK_SECRET: 'whsec-1' } });

function copyOf(dir: string): string {
  const copy = tempDir('vigil-witness-copy-');
  cpSync(dir, copy, { recursive: true });
  return copy;
}

/** Starts `vigil witness serve` for these logs and reads its URL and key from the lines it prints. */
async function serveWitness(dataDir: string, logVkeys: string[]): Promise<void> {
  witness = spawn(
    process.execPath,
    [
      BIN,
      '--data',
      dataDir,
      'witness',
      'serve',
      ...logVkeys.flatMap((vkey) => ['--log', vkey]),
      '--name',
      'witness.test/w1',
      '--port',
      '0',
    ],
    { env: { PATH: process.env['PATH'] }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  witness.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  await new Promise<void>((resolve, reject) => {
    witness.on('exit', (code) => reject(new Error(`witness serve exited ${code}: ${err}`)));
    witness.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out)?.[1];
      const vkey = /^vkey (\S+)$/m.exec(out)?.[1];
      if (url && vkey) {
        witnessUrl = url;
        witnessVkey = vkey;
        resolve();
      }
    });
  });
}

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hookBodies.push(JSON.parse(body) as (typeof hookBodies)[number]);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  sim = await startSimulator({ seed: 5, users: 10, days: 2, liveTraffic: true, clock });

  collector = tempDir('vigil-witnessed-');
  writeFileSync(
    path.join(collector, 'vigil.yaml'),
    `sources:\n  - name: okta\n    type: okta\n    url: ${sim.baseUrl}\n    tokenEnv: OKTA_TOKEN\n` +
      `alerts:\n  sinks:\n    - type: webhook\n      name: soc\n      minSeverity: critical\n` +
      `      url: http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook\n      secret: { env: HOOK_SECRET }\n`,
    { mode: 0o600 },
  );
  firstCollect = await vigil(collector, 'collect', '--once', '--since', '2026-03-09T00:00:00Z', '--json');
  expect(firstCollect.code, firstCollect.stderr).toBe(0);
  olderCopy = copyOf(collector);

  // Every log the collector keeps (its events, its configuration snapshots), by its verifier key.
  const logs = (JSON.parse(firstCollect.stdout) as CollectJson).checkpoints.map((c) => c.log);
  expect(logs).toContain('okta');
  const logKeys = await Promise.all(logs.map((log) => vigil(collector, 'ledger', 'key', '--source', log)));
  witnessDir = tempDir('vigil-witness-serve-');
  await serveWitness(
    witnessDir,
    logKeys.map((k) => k.stdout.trim()),
  );
  const added = await vigil(collector, 'ledger', 'witness', 'add', witnessUrl, witnessVkey);
  expect(added.code, added.stderr).toBe(0);

  clock.advance(60 * 60_000); // an hour of live traffic: the tree grows
  secondCollect = await vigil(collector, 'collect', '--once', '--json');
}, 120_000);

afterAll(async () => {
  if (witness && witness.exitCode === null) {
    const exited = new Promise((resolve) => witness.on('exit', resolve));
    witness.kill('SIGTERM');
    await exited;
  }
  await sim?.close();
  await new Promise((resolve) => hook?.close(resolve));
});

interface CollectJson {
  checkpoints: {
    log: string;
    treeSize: number;
    sinks: { ok: boolean }[];
    witnesses: { kind: string; witnessSize?: number }[];
  }[];
}

/** The events log's report: the last (after the round), or the first (at start-up). */
function eventsLog(json: CollectJson, which: 0 | -1 = -1): CollectJson['checkpoints'][number] {
  return json.checkpoints.filter((c) => c.log === 'okta').at(which)!;
}

describe('checkpoints leave the host', () => {
  it('collect hands each new checkpoint to the witness and stores its cosignature', async () => {
    expect(secondCollect.code, secondCollect.stderr).toBe(0);
    const json = JSON.parse(secondCollect.stdout) as CollectJson;
    const first = eventsLog(JSON.parse(firstCollect.stdout) as CollectJson);
    const last = eventsLog(json);
    expect(last.treeSize).toBeGreaterThan(first.treeSize);
    expect(last.witnesses).toEqual([
      expect.objectContaining({ kind: 'cosigned', witness: 'witness.test/w1' }),
    ]);
    const db = new Database(path.join(collector, 'vigil.db'), { readonly: true });
    const rows = db.prepare('select tree_size, witness, cosignature from witness_cosignatures').all() as {
      tree_size: number;
      witness: string;
      cosignature: string;
    }[];
    db.close();
    expect(rows.map((r) => [r.tree_size, r.witness])).toContainEqual([last.treeSize, 'witness.test/w1']);
    // The stored line is a cosignature/v1 of the checkpoint by the key the witness printed.
    const checkpoint = await vigil(collector, 'ledger', 'checkpoint');
    const row = rows.find((r) => r.tree_size === last.treeSize)!;
    const opened = openNote(checkpoint.stdout + row.cosignature, [
      (await import('../../src/ledger/cosignature-v1.js')).parseCosignatureVerifierKey(witnessVkey),
    ]);
    expect(opened.signatures.map((s) => s.name)).toEqual(['witness.test/w1']);
  });

  it('every sink gets each checkpoint as a low-severity message carrying the signed note, whatever its minimum', async () => {
    const messages = hookBodies.filter((b) => b.alert.rule.id === 'vigil-checkpoint');
    const checkpoint = await vigil(collector, 'ledger', 'checkpoint');
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(messages.every((m) => m.alert.severity === 'low')).toBe(true);
    expect(messages.map((m) => m.alert.description)).toContain(checkpoint.stdout);
    const logKey = parseVerifierKey((await vigil(collector, 'ledger', 'key')).stdout.trim());
    const ours = messages.find((m) => m.alert.description === checkpoint.stdout)!;
    expect(openNote(ours.alert.description, [logKey]).signatures.map((s) => s.name)).toEqual([
      'vigil.local/okta',
    ]);
  });

  it('verify checks the stored cosignatures, and --witness confirms the witness has seen no more', async () => {
    const verified = await vigil(collector, 'verify');
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/witnesses: [1-9]\d* stored cosignatures checked/);
    const asked = await vigil(collector, 'verify', '--witness', witnessUrl, '--no-remember');
    expect(asked.code, asked.stdout).toBe(0);
  });

  it('verify fails on a forged cosignature', async () => {
    const dir = copyOf(collector);
    const db = new Database(path.join(dir, 'vigil.db'));
    const row = db.prepare('select rowid, cosignature from witness_cosignatures limit 1').get() as {
      rowid: number;
      cosignature: string;
    };
    const [dash, name, b64] = row.cosignature.trimEnd().split(' ') as [string, string, string];
    const bytes = Buffer.from(b64, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    db.prepare('update witness_cosignatures set cosignature = ? where rowid = ?').run(
      `${dash} ${name} ${bytes.toString('base64')}\n`,
      row.rowid,
    );
    db.close();
    const verified = await vigil(dir, 'verify', '--json', '--no-remember');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('COSIGNATURE_INVALID');
  });

  it('verify fails when the configured witness key is not the key the stored cosignatures were made with', async () => {
    const dir = copyOf(collector);
    const other = formatCosignatureVerifierKey(
      createCosigner('witness.test/w1', Buffer.alloc(32, 77), () => 0n),
    );
    expect((await vigil(dir, 'ledger', 'witness', 'remove', 'witness.test/w1')).code).toBe(0);
    expect((await vigil(dir, 'ledger', 'witness', 'add', witnessUrl, other)).code).toBe(0);
    const verified = await vigil(dir, 'verify', '--no-remember');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('FAIL COSIGNATURE_KEY_MISMATCH');
  });

  it('a store rolled back to an older copy: verify --witness fails, and collect reports the witness refusing it', async () => {
    const dir = copyOf(collector);
    // The database (and only it) put back as it was before the witness saw the larger tree.
    for (const f of readdirSync(dir).filter((n) => n.startsWith('vigil.db'))) rmSync(path.join(dir, f));
    for (const f of readdirSync(olderCopy).filter((n) => n.startsWith('vigil.db')))
      cpSync(path.join(olderCopy, f), path.join(dir, f));
    // With it went verify's rollback memory, kept in the data directory by default.
    rmSync(path.join(dir, 'verified-checkpoints.json'), { force: true });
    const own = await vigil(dir, 'verify', '--no-remember');
    expect(own.code, own.stdout).toBe(0); // from inside the host alone, nothing shows
    const asked = await vigil(dir, 'verify', '--witness', witnessUrl, '--no-remember');
    expect(asked.code).toBe(1);
    expect(asked.stdout).toMatch(
      /FAIL TREE_ROLLED_BACK \[okta\] witness witness\.test\/w1: the witness has cosigned size \d+/,
    );

    const collected = await vigil(dir, 'collect', '--once', '--json');
    expect(collected.code).toBe(1);
    const json = JSON.parse(collected.stdout) as CollectJson;
    const secondSize = eventsLog(JSON.parse(secondCollect.stdout) as CollectJson).treeSize;
    expect(eventsLog(json, 0).witnesses).toEqual([
      expect.objectContaining({ kind: 'witness-ahead', witnessSize: secondSize }),
    ]);
    expect(collected.stderr).toContain('the store was truncated or rolled back');
    const alerts = await vigil(dir, 'alerts', '--json');
    expect(alerts.stdout).toContain('vigil-witness-witness-ahead');
  });

  it('a fork signed with the same key (another history, larger tree) is refused as inconsistent: an alert, exit 1', async () => {
    // Someone holding the ledger key signs a different history for the same log and publishes it.
    const other = await startSimulator({ seed: 99, users: 30, days: 3, liveTraffic: false, clock });
    try {
      const dir = tempDir('vigil-fork-');
      cpSync(path.join(collector, 'keys'), path.join(dir, 'keys'), { recursive: true });
      writeFileSync(
        path.join(dir, 'vigil.yaml'),
        `sources:\n  - name: okta\n    type: okta\n    url: ${other.baseUrl}\n    tokenEnv: OTHER_TOKEN\n` +
          `witnesses:\n  - url: ${witnessUrl}\n    vkey: ${witnessVkey}\n`,
        { mode: 0o600 },
      );
      const forked = await runVigil(
        ['--data', dir, 'collect', '--once', '--since', '2026-03-06T00:00:00Z', '--json'],
        {
          clock,
          env: { OTHER_TOKEN: other.token },
        },
      );
      expect(forked.code).toBe(1);
      const report = eventsLog(JSON.parse(forked.stdout) as CollectJson);
      expect(report.treeSize).toBeGreaterThan(
        eventsLog(JSON.parse(secondCollect.stdout) as CollectJson).treeSize,
      );
      expect(report.witnesses).toEqual([expect.objectContaining({ kind: 'inconsistent', status: 422 })]);
      expect(forked.stderr).toContain('the log was forked or rewritten');
      const alerts = await runVigil(['--data', dir, 'alerts', '--json'], { clock });
      expect(alerts.stdout).toContain('vigil-witness-inconsistent');
      // And verify --witness on that store names the fork.
      const asked = await runVigil(['--data', dir, 'verify', '--witness', witnessUrl, '--no-remember'], {
        clock,
      });
      expect(asked.code).toBe(1);
      expect(asked.stdout).toMatch(
        /FAIL TREE_INCONSISTENT \[okta\] witness witness\.test\/w1: the witness refused size \d+ as inconsistent/,
      );
    } finally {
      await other.close();
    }
  });

  it('verify fails when a stored cosignature covers more leaves than the store holds', async () => {
    const dir = copyOf(olderCopy);
    const from = new Database(path.join(collector, 'vigil.db'), { readonly: true });
    const rows = from.prepare('select * from witness_cosignatures').all();
    from.close();
    const to = new Database(path.join(dir, 'vigil.db'));
    const insert = to.prepare(
      'insert into witness_cosignatures values (@log, @tree_size, @witness, @cosignature, @received_at_ms)',
    );
    for (const row of rows) insert.run(row);
    to.close();
    // The older copy's vigil.yaml has no witnesses yet: configure the same one.
    expect((await vigil(dir, 'ledger', 'witness', 'add', witnessUrl, witnessVkey)).code).toBe(0);
    const verified = await vigil(dir, 'verify', '--no-remember');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(
      /FAIL COSIGNED_BEYOND_TREE \[okta\] witness\.test\/w1 cosigned size \d+, the store holds \d+ leaves/,
    );
  });

  it('witness key prints the key serve announced; a second witness on the same directory is refused', async () => {
    const key = await vigil(witnessDir, 'witness', 'key');
    expect(key).toMatchObject({ code: 0, stdout: `${witnessVkey}\n` });
    const empty = tempDir('vigil-no-witness-');
    const none = await vigil(empty, 'witness', 'key');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('KEY_FILE_MISSING');
    expect(readdirSync(empty)).toEqual([]);
    const logKey = (await vigil(collector, 'ledger', 'key')).stdout.trim();
    const second = await vigil(witnessDir, 'witness', 'serve', '--log', logKey, '--port', '0');
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('WITNESS_STATE_LOCKED');
  });

  it('refuses bad witness entries and unknown --witness URLs as input errors', async () => {
    const dir = copyOf(collector);
    const logKey = (await vigil(dir, 'ledger', 'key')).stdout.trim();
    const wrongType = await vigil(dir, 'ledger', 'witness', 'add', 'http://127.0.0.1:9', logKey);
    expect(wrongType.code).toBe(2);
    expect(wrongType.stderr).toContain('WITNESS_CONFIG_INVALID');
    const listed = await vigil(dir, 'ledger', 'witness', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toEqual([{ url: witnessUrl, vkey: witnessVkey }]);
    const twice = await vigil(dir, 'ledger', 'witness', 'add', witnessUrl, witnessVkey);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('WITNESS_EXISTS');
    const unknown = await vigil(dir, 'verify', '--witness', 'http://127.0.0.1:9');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('WITNESS_UNKNOWN');
  });
});
