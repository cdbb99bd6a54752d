import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import {
  parseInclusionProofJson,
  verifyInclusionProof,
  parseConsistencyProofJson,
  verifyConsistencyProof,
} from '../../src/ledger/proof-json.js';
import { ledgerOrigin } from '../../src/ledger/ledger-log.js';
import { formatVerifierKey, generateSigner } from '../../src/ledger/note-key.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { parseTlogProof } from '../../src/ledger/tlog-proof.js';
import { runVigil, addOktaSource } from '../cli/cli-harness.js';
import { tempDir } from '../support/temp-dir.js';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const T0 = '2026-03-10T12:00:00.000Z';
let sim: RunningSimulator;
let base: string;
const clock = new ManualClock(T0);

/** A fresh copy of the collected data directory, for one tamper case. */
function copyOfStore(): string {
  const dir = tempDir('vigil-tamper-');
  cpSync(base, dir, { recursive: true });
  return dir;
}
const vigil = (dir: string, ...args: string[]) =>
  runVigil(['--data', dir, ...args], { clock, env: { OKTA_TOKEN: sim.token } });

beforeAll(async () => {
  sim = await startSimulator({
    seed: 21,
    users: 20,
    days: 3,
    liveTraffic: false,
    clock,
    scenarios: [{ name: 'har-2023' }],
  });
  base = tempDir('vigil-ledger-');
  await addOktaSource((...args: string[]) => vigil(base, ...args), sim.baseUrl);
  const collected = await vigil(base, 'collect', '--once', '--since', '2026-03-01T00:00:00Z', '--json');
  expect(collected.code, collected.stderr).toBe(0);
  clock.advance(20 * 60_000); // a heartbeat checkpoint later
  const again = await vigil(base, 'collect', '--once');
  expect(again.code, again.stderr).toBe(0);
});
afterAll(() => sim.close());

describe('vigil verify, ledger and events on a collected store', () => {
  it('collect ran detection on every stored event: the scenario raised alerts', async () => {
    const r = await vigil(base, 'alerts', '--json');
    expect(r.code, r.stderr).toBe(0);
    const text = r.stdout;
    expect(text).toContain('vigil-session-reuse');
    expect(text).toContain('okta-api-token-created');
  });

  it('verify passes on an untouched store', async () => {
    const r = await vigil(base, 'verify');
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('verify: OK');
  });

  it('verify --deep also re-canonicalizes every event, and passes on an untouched store', async () => {
    const r = await vigil(base, 'verify', '--deep', '--json');
    expect(r.code, r.stdout).toBe(0);
    expect((JSON.parse(r.stdout) as { ok: boolean }).ok).toBe(true);
  });

  it('prints the verifier key and the latest checkpoint as a C2SP signed note', async () => {
    const key = (await vigil(base, 'ledger', 'key')).stdout.trim();
    expect(key).toMatch(/^vigil\.local\/okta\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/);
    const note = (await vigil(base, 'ledger', 'checkpoint')).stdout;
    expect(note).toMatch(/^vigil\.local\/okta\n\d+\n[A-Za-z0-9+/=]{44}\n\n\u2014 vigil\.local\/okta /);
  });

  it('proves inclusion by index and by event id, and consistency from an earlier checkpoint', async () => {
    const event = sim.truth()[5]!;
    const byEvent = parseInclusionProofJson(
      JSON.parse((await vigil(base, 'ledger', 'prove', '--event', event.uuid, '--json')).stdout),
    );
    verifyInclusionProof(byEvent);
    expect(JSON.parse(byEvent.leafData.toString()).eventId).toBe(event.uuid);
    const byIndex = parseInclusionProofJson(
      JSON.parse((await vigil(base, 'ledger', 'prove', '--index', '0', '--json')).stdout),
    );
    verifyInclusionProof(byIndex);
    const db = new Database(path.join(base, 'vigil.db'), { readonly: true });
    const first = db
      .prepare("select tree_size from checkpoints where source = 'okta' order by id limit 1")
      .get() as {
      tree_size: number;
    };
    db.close();
    const consistency = parseConsistencyProofJson(
      JSON.parse(
        (await vigil(base, 'ledger', 'consistency', '--from', String(first.tree_size), '--json')).stdout,
      ),
    );
    verifyConsistencyProof(consistency);
  });

  it('events searches by type and prints verbatim JSON lines', async () => {
    const r = await vigil(base, 'events', '--type', 'user.session.start', '--jsonl', '--limit', '1000');
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBe(sim.truth().filter((e) => e.eventType === 'user.session.start').length);
    expect(lines.every((l) => JSON.parse(l).eventType === 'user.session.start')).toBe(true);
  });

  const tamper = (name: string, sql: string, code: string) =>
    it(`verify catches: ${name}`, async () => {
      const dir = copyOfStore();
      const db = new Database(path.join(dir, 'vigil.db'));
      db.exec(sql);
      db.close();
      const r = await vigil(dir, 'verify', '--json');
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout) as { findings: { code: string }[] };
      expect(report.findings.map((f) => f.code)).toContain(code);
    });
  tamper(
    'one byte of an event changed',
    'update events set raw = replace(raw, \'"version":"0"\', \'"version":"1"\') where leaf_index = 3',
    'EVENT_CONTENT_MISMATCH',
  );
  // The canonical JSON is unchanged; only the verbatim bytes (rawSha256 in the leaf) show it.
  tamper(
    'a space added inside an event',
    "update events set raw = replace(raw, '{', '{ ') where leaf_index = 5",
    'EVENT_CONTENT_MISMATCH',
  );
  tamper('an event row deleted', 'delete from events where leaf_index = 4', 'EVENT_MISSING');
  tamper(
    'a row inserted',
    "insert into events (source, provider_id, leaf_index, published, published_ms, event_type, raw, stored_at_ms) select source, 'forged', 999999, published, published_ms, event_type, raw, stored_at_ms from events where leaf_index = 1",
    'EVENT_UNLEDGERED',
  );
  tamper(
    'two rows swapped',
    'update events set raw = (select raw from events where leaf_index = 8) where leaf_index = 7',
    'EVENT_CONTENT_MISMATCH',
  );
  tamper(
    'the tail truncated',
    'delete from ledger_leaves where leaf_index >= (select max(leaf_index) - 2 from ledger_leaves); delete from events where leaf_index >= (select max(leaf_index) - 2 from events)',
    'CHECKPOINT_BEYOND_TREE',
  );
  tamper(
    'a checkpoint replaced by another root',
    "update checkpoints set note = replace(note, substr(note, instr(note, char(10)) + 1, 3), substr(note, instr(note, char(10)) + 1, 3)) || '', root_hash = zeroblob(32) where id = (select max(id) from checkpoints where source = 'okta')",
    'CHECKPOINT_MALFORMED',
  );
  tamper(
    'a checkpoint forged (signature broken)',
    "update checkpoints set note = replace(note, '— vigil.local/okta ', '— vigil.local/okta AAAA') where id = (select min(id) from checkpoints where source = 'okta')",
    'CHECKPOINT_SIGNATURE_INVALID',
  );
  tamper(
    'a tree node altered',
    'update ledger_nodes set hash = zeroblob(32) where level = 1 and idx = 0',
    'NODE_MISMATCH',
  );
  tamper('a leaf deleted (gap)', 'delete from ledger_leaves where leaf_index = 2', 'LEAF_GAP');

  it('exports an evidence bundle that verify-bundle accepts, and rejects once an event is edited', async () => {
    const out = path.join(tempDir('vigil-bundle-'), 'bundle');
    const exported = await vigil(
      base,
      'export',
      '--source',
      'okta',
      '--from',
      '2026-03-09T00:00:00Z',
      '--out',
      out,
    );
    expect(exported.code, exported.stderr).toBe(0);
    const ok = await vigil(base, 'verify-bundle', out);
    expect(ok.code, ok.stdout).toBe(0);
    // Every event also has a c2sp.org/tlog-proof@v1 file carrying the bundled checkpoint verbatim.
    const eventCount = readFileSync(path.join(out, 'events.jsonl'), 'utf8').trim().split('\n').length;
    const tlogFiles = readdirSync(path.join(out, 'proofs'));
    expect(tlogFiles).toHaveLength(eventCount);
    const first = path.join(out, 'proofs', tlogFiles[0]!);
    const parsed = parseTlogProof(readFileSync(first, 'utf8'));
    expect(parsed.checkpoint).toBe(readFileSync(path.join(out, 'checkpoint.txt'), 'utf8'));
    expect(tlogFiles[0]).toBe(`${parsed.index}.tlog-proof`);
    // A tlog-proof moved to another index no longer verifies, and the finding names the file.
    const original = readFileSync(first, 'utf8');
    writeFileSync(first, original.replace(`index ${parsed.index}\n`, `index ${parsed.index + 1}\n`));
    const moved = await vigil(base, 'verify-bundle', out, '--json');
    expect(moved.code).toBe(1);
    expect((JSON.parse(moved.stdout) as { findings: { file?: string }[] }).findings[0]?.file).toBe(
      `proofs/${tlogFiles[0]}`,
    );
    writeFileSync(first, original);
    const events = readFileSync(path.join(out, 'events.jsonl'), 'utf8');
    writeFileSync(path.join(out, 'events.jsonl'), events.replace('"version":"0"', '"version":"9"'));
    const bad = await vigil(base, 'verify-bundle', out);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('differs from what the ledger recorded');
  });

  it('verify catches a checkpoint signed with another key', async () => {
    const dir = copyOfStore();
    // The right ledger's name, another key pair (the CLI's readers never create a key).
    const otherKey = formatVerifierKey(generateSigner(ledgerOrigin('okta')));
    const r = await vigil(dir, 'verify', '--vkey', otherKey, '--json');
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: { code: string }[] }).findings[0]!.code).toBe(
      'CHECKPOINT_SIGNATURE_INVALID',
    );
  });
});
