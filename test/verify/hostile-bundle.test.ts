import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSigner, formatVerifierKey } from '../../src/ledger/note-key.js';
import { checkEvidenceBundle, type EvidenceBundle } from '../../src/verify/evidence-bundle.js';
import { runVigil } from '../cli/cli-harness.js';
import { tempDir } from '../support/temp-dir.js';
import { bundle, events, signer } from './bundle-fixture.js';

/** Someone with no access to the ledger's key, signing a bundle of their own with theirs. */
const forger = createSigner(signer.name, Buffer.alloc(32, 9));
const genuineKey = formatVerifierKey(signer);

/** Writes `b` as the bundle folder `vigil export` writes. */
function writeBundle(b: EvidenceBundle): string {
  const dir = path.join(tempDir('vigil-hostile-bundle-'), 'bundle');
  mkdirSync(path.join(dir, 'proofs'), { recursive: true });
  writeFileSync(path.join(dir, 'checkpoint.txt'), b.checkpoint);
  writeFileSync(path.join(dir, 'verifier-key.txt'), b.verifierKey + '\n');
  writeFileSync(path.join(dir, 'events.jsonl'), b.events.join('\n') + '\n');
  writeFileSync(path.join(dir, 'proofs.jsonl'), b.proofs.map((p) => JSON.stringify(p)).join('\n') + '\n');
  for (const t of b.tlogProofs ?? []) writeFileSync(path.join(dir, t.name), t.text);
  return dir;
}

const verifyBundle = (...args: string[]) => runVigil(['verify-bundle', ...args]);

describe('verify-bundle checks every line', () => {
  it('an extra line reusing a genuine uuid, placed before the genuine one, fails', async () => {
    const b = await bundle();
    const forged = JSON.stringify({ uuid: 'event-2', n: 'forged' });
    const result = checkEvidenceBundle({
      ...b,
      events: [...b.events.slice(0, 2), forged, ...b.events.slice(2)],
    });
    expect(result.ok).toBe(false);
    expect(result.events).toBe(5);
    expect(result.findings.map((f) => f.line)).toContain(4);
    expect(result.findings.some((f) => f.eventId === 'event-2')).toBe(true);
  });
});

describe("verify-bundle does not trust the bundle's own key silently", () => {
  it('says the key came from the bundle when none is pinned', async () => {
    const r = await verifyBundle(writeBundle(await bundle()));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/key: taken from the bundle's own verifier-key\.txt \(not pinned\)/);
    expect(r.stdout).toContain('(key bundled)');
  });

  it('passes with the pinned genuine key, and says so', async () => {
    const r = await verifyBundle(writeBundle(await bundle()), '--vkey', genuineKey, '--json');
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, keyTrust: 'pinned', events: 4 });
  });

  it('a malformed --vkey is bad input (exit 2, naming the flag), not a failed check', async () => {
    const r = await verifyBundle(writeBundle(await bundle()), '--vkey', 'not-a-key');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--vkey: note key invalid/);
  });

  it("a bundle forged with the forger's own key fails once the key is pinned", async () => {
    const dir = writeBundle(await bundle(4, forger));
    expect((await verifyBundle(dir)).code).toBe(0); // self-consistent, and said to be only that
    const r = await verifyBundle(dir, '--vkey', genuineKey);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('verifier-key.txt is not the pinned key');
    expect(r.stdout).toContain('checkpoint does not verify with the pinned key');
  });
});

describe('verify-bundle reads only regular files, each bounded', () => {
  it('refuses a symlink (checkpoint.txt -> /dev/zero) without following it', async () => {
    const dir = writeBundle(await bundle());
    const checkpoint = path.join(dir, 'checkpoint.txt');
    execFileSync('rm', [checkpoint]);
    symlinkSync('/dev/zero', checkpoint);
    const r = await verifyBundle(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${checkpoint} is a symbolic link`);
    expect(r.stderr).toContain('[CLI_FILE_NOT_REGULAR]');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a FIFO without blocking on it', async () => {
    const dir = writeBundle(await bundle());
    const file = path.join(dir, 'events.jsonl');
    execFileSync('rm', [file]);
    execFileSync('mkfifo', [file]);
    const r = await verifyBundle(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file} is a FIFO`);
  });

  it('refuses a symlinked proofs/ folder and a symlinked proof file', async () => {
    const dir = writeBundle(await bundle());
    const elsewhere = tempDir('vigil-elsewhere-');
    symlinkSync('/dev/zero', path.join(dir, 'proofs', '9.tlog-proof'));
    expect((await verifyBundle(dir)).stderr).toContain('[CLI_FILE_NOT_REGULAR]');
    execFileSync('rm', ['-r', path.join(dir, 'proofs')]);
    symlinkSync(elsewhere, path.join(dir, 'proofs'));
    const r = await verifyBundle(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[CLI_FILE_NOT_REGULAR]');
  });

  it('refuses an events.jsonl over the size limit from its size, unread (a sparse file)', async () => {
    const dir = writeBundle(await bundle());
    const file = path.join(dir, 'events.jsonl');
    truncateSync(file, 257 * 1024 * 1024); // sparse: no disk, no memory
    const r = await verifyBundle(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file} is larger than the limit of 256 MiB [CLI_FILE_TOO_LARGE]`);
  });

  it('still names a missing file', async () => {
    const dir = writeBundle(await bundle());
    execFileSync('rm', [path.join(dir, 'proofs.jsonl')]);
    const r = await verifyBundle(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[CLI_BUNDLE_INCOMPLETE]');
    expect(events).toHaveLength(4);
  });
});
