import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { fileSignerProvider } from '../../src/keys/key-providers.js';
import { signCheckpoint } from '../../src/ledger/signed-checkpoint.js';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from './cli-harness.js';
import { checkpointSizes, collectedStore, truncateTo, type VerifyJson } from './verify-fixture.js';

const store = collectedStore();

/** Sizes: the full tree, and the last checkpointed size before it (where a truncation stops). */
function sizesOf(dir: string): { full: number; earlier: number } {
  const sizes = checkpointSizes(dir);
  const full = sizes.at(-1)!;
  return { full, earlier: sizes.filter((s) => s < full).at(-1)! };
}

const json = (stdout: string) => JSON.parse(stdout) as VerifyJson;

describe('vigil verify --checkpoint FILE: the store against a checkpoint kept elsewhere', () => {
  async function exported(dir: string): Promise<string> {
    const cp = await store.vigil(dir, 'ledger', 'checkpoint');
    expect(cp.code, cp.stderr).toBe(0);
    const file = path.join(tempDir('vigil-kept-'), 'checkpoint.note');
    writeFileSync(file, cp.stdout);
    return file;
  }

  it('passes when the store extends the checkpoint', async () => {
    const dir = store.copy();
    const file = await exported(dir);
    const r = await store.vigil(dir, 'verify', '--no-remember', '--checkpoint', file);
    expect(r.code, r.stdout).toBe(0);
  });

  it('fails on a store truncated after the checkpoint was exported, which nothing inside the store shows', async () => {
    const dir = store.copy();
    const file = await exported(dir);
    const { full, earlier } = sizesOf(dir);
    // Cut consistently: leaves, events, nodes, checkpoints and both marks, so the store agrees with itself.
    truncateTo(dir, earlier, true);
    const alone = await store.vigil(dir, 'verify', '--no-remember');
    expect(alone.code, alone.stdout).toBe(0);
    const r = await store.vigil(dir, 'verify', '--no-remember', '--json', '--checkpoint', file);
    expect(r.code).toBe(1);
    expect(json(r.stdout).findings).toEqual([
      {
        code: 'TREE_ROLLED_BACK',
        source: 'okta',
        file,
        treeSize: full,
        message: `log okta has ${earlier} leaves, but the checkpoint from ${file} signs ${full}: the log was truncated or rolled back below size ${full}`,
      },
    ]);
  });

  it('fails on a checkpoint whose root the store is not consistent with (a fork), signed with the real key', async () => {
    const dir = store.copy();
    const { full } = sizesOf(dir);
    const signer = fileSignerProvider(dir)('okta');
    const forged = signCheckpoint(
      { origin: signer.name, size: full - 3, rootHash: Buffer.alloc(32, 9) },
      signer,
    );
    const file = path.join(tempDir('vigil-fork-'), 'fork.note');
    writeFileSync(file, forged);
    const r = await store.vigil(dir, 'verify', '--no-remember', '--json', '--checkpoint', file);
    expect(r.code).toBe(1);
    expect(json(r.stdout).findings).toEqual([
      expect.objectContaining({ code: 'TREE_INCONSISTENT', source: 'okta', treeSize: full - 3, file }),
    ]);
  });

  it('fails on a checkpoint whose signature does not verify', async () => {
    const dir = store.copy();
    const file = await exported(dir);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/\n(\d+)\n/, (_, n: string) => `\n${Number(n) - 1}\n`),
    );
    const r = await store.vigil(dir, 'verify', '--no-remember', '--json', '--checkpoint', file);
    expect(r.code).toBe(1);
    expect(json(r.stdout).findings).toEqual([
      expect.objectContaining({ code: 'EXTERNAL_CHECKPOINT_INVALID', source: 'okta', file }),
    ]);
  });

  it('refuses a file that is not a checkpoint, naming it (exit 2)', async () => {
    const dir = store.copy();
    const file = path.join(tempDir('vigil-notcp-'), 'x.note');
    writeFileSync(file, 'hello\n');
    const r = await store.vigil(dir, 'verify', '--no-remember', '--checkpoint', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/VERIFY_CHECKPOINT_INVALID/);
    expect(r.stderr).toContain(file);
  });
});

describe('the rollback memory: the largest checkpoint verify accepted, kept outside the database', () => {
  it('remembers after a clean run, then fails a store truncated below it, naming the remembered size', async () => {
    const dir = store.copy();
    const { full, earlier } = sizesOf(dir);
    const first = await store.vigil(dir, 'verify');
    expect(first.code, first.stdout).toBe(0);
    const memory = path.join(dir, 'verified-checkpoints.json');
    expect(statSync(memory).mode & 0o777).toBe(0o600);
    expect(
      (JSON.parse(readFileSync(memory, 'utf8')) as { logs: Record<string, { size: number }> }).logs['okta']!
        .size,
    ).toBe(full);

    truncateTo(dir, earlier, true);
    const again = await store.vigil(dir, 'verify', '--json');
    expect(again.code).toBe(1);
    const findings = json(again.stdout).findings;
    const [finding, ...rest] = findings.filter((f) => f.source === 'okta');
    expect(rest).toEqual([]);
    // The detection marks' log, cut back with the mark, is held to the memory the same way.
    expect(findings.filter((f) => f.source !== 'okta').map((f) => `${f.code} ${f.source}`)).toEqual([
      'TREE_ROLLED_BACK okta/detection-marks',
    ]);
    expect(finding).toMatchObject({ code: 'TREE_ROLLED_BACK', source: 'okta', treeSize: full });
    expect(finding!.message).toContain(
      `log okta has ${earlier} leaves, but the checkpoint from the rollback memory ${memory} (size ${full}`,
    );
    // A failed run never moves the memory (back or forth).
    expect(
      (JSON.parse(readFileSync(memory, 'utf8')) as { logs: Record<string, { size: number }> }).logs['okta']!
        .size,
    ).toBe(full);
  });

  it('lives where --memory, $VIGIL_VERIFY_MEMORY or verify.memoryFile put it, not in the data directory', async () => {
    const dir = store.copy();
    const { full, earlier } = sizesOf(dir);
    const elsewhere = tempDir('vigil-memory-');
    const byFlag = path.join(elsewhere, 'by-flag.json');
    expect((await store.vigil(dir, 'verify', '--memory', byFlag)).code).toBe(0);
    expect(existsSync(byFlag)).toBe(true);
    expect(existsSync(path.join(dir, 'verified-checkpoints.json'))).toBe(false);

    const byEnv = path.join(elsewhere, 'by-env.json');
    const env = await runVigil(['--data', dir, 'verify'], { env: { VIGIL_VERIFY_MEMORY: byEnv } });
    expect(env.code, env.stderr).toBe(0);
    expect(existsSync(byEnv)).toBe(true);

    const byConfig = path.join(elsewhere, 'by-config.json');
    const config = path.join(dir, 'vigil.yaml');
    const doc = parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
    writeFileSync(config, stringify({ ...doc, verify: { memoryFile: byConfig } }), { mode: 0o600 });
    expect((await store.vigil(dir, 'verify')).code).toBe(0);
    expect(existsSync(byConfig)).toBe(true);
    expect(existsSync(path.join(dir, 'verified-checkpoints.json'))).toBe(false);

    truncateTo(dir, earlier, true);
    const r = await store.vigil(dir, 'verify', '--memory', byFlag, '--json');
    expect(r.code).toBe(1);
    expect(json(r.stdout).findings[0]).toMatchObject({ code: 'TREE_ROLLED_BACK', treeSize: full });
  });

  it('--no-remember still checks against the memory but writes nothing', async () => {
    const dir = store.copy();
    const r = await store.vigil(dir, 'verify', '--no-remember');
    expect(r.code, r.stdout).toBe(0);
    expect(existsSync(path.join(dir, 'verified-checkpoints.json'))).toBe(false);
  });

  it('a place verify cannot write still verifies, and says the memory was not updated', async () => {
    const dir = store.copy();
    const notADir = path.join(tempDir('vigil-memory-ro-'), 'file');
    writeFileSync(notADir, '');
    const memory = path.join(notADir, 'memory.json');
    const r = await store.vigil(dir, 'verify', '--memory', memory);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('verify: OK');
    expect(r.stderr).toContain(`could not update the rollback memory ${memory} (ENOTDIR)`);
  });

  it('refuses a memory file that is not what verify writes, naming it (exit 2)', async () => {
    const dir = store.copy();
    const memory = path.join(dir, 'verified-checkpoints.json');
    writeFileSync(memory, '{"v":1,"logs":{"okta":{"note":"not a note","verifiedAtMs":1}}}');
    const r = await store.vigil(dir, 'verify');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/VERIFY_MEMORY_INVALID/);
    expect(r.stderr).toContain(memory);
  });
});
