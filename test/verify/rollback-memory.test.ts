import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_TREE_ROOT } from '../../src/ledger/merkle-hash.js';
import { createSigner } from '../../src/ledger/note-key.js';
import { signCheckpoint } from '../../src/ledger/signed-checkpoint.js';
import {
  advanceRollbackMemory,
  readRollbackMemory,
  rememberedCheckpoints,
  writeRollbackMemory,
} from '../../src/verify/rollback-memory.js';
import type { VerificationReport } from '../../src/verify/verification-report.js';
import { expectCode } from '../support/expect-code.js';
import { tempDir } from '../support/temp-dir.js';

const signer = createSigner('vigil.test/okta', Buffer.alloc(32, 5));
const note = (size: number) =>
  signCheckpoint({ origin: signer.name, size, rootHash: EMPTY_TREE_ROOT }, signer);
const report = (ok: boolean, size: number): VerificationReport => ({
  ok,
  truncated: 0,
  findings: [],
  sources: [
    {
      source: 'okta',
      leaves: size,
      events: size,
      checkpoints: 1,
      latestCheckpointSize: size,
      rootHash: null,
      verifiedCheckpoint: note(size),
    },
  ],
});

describe('the rollback memory', () => {
  it('moves only forward, and only after a run with no finding', () => {
    const first = advanceRollbackMemory({ logs: {} }, report(true, 10), 1000)!;
    expect(first.logs['okta']).toEqual({ size: 10, note: note(10), verifiedAtMs: 1000 });
    expect(advanceRollbackMemory(first, report(true, 10), 2000)).toBeUndefined();
    expect(advanceRollbackMemory(first, report(true, 7), 2000)).toBeUndefined();
    expect(advanceRollbackMemory(first, report(false, 20), 2000)).toBeUndefined();
    expect(advanceRollbackMemory(first, report(true, 20), 3000)!.logs['okta']!.size).toBe(20);
  });

  it('is written 0600 and read back as written; a missing file remembers nothing', () => {
    const file = path.join(tempDir('vigil-memory-unit-'), 'memory.json');
    expect(readRollbackMemory(file)).toEqual({ logs: {} });
    const memory = advanceRollbackMemory({ logs: {} }, report(true, 10), 1000)!;
    writeRollbackMemory(file, memory);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readRollbackMemory(file)).toEqual(memory);
    expect(rememberedCheckpoints(memory, file)).toEqual([
      { note: note(10), from: `the rollback memory ${file} (size 10, verified 1970-01-01T00:00:01.000Z)` },
    ]);
  });

  it.each([
    ['not JSON', '{'],
    ['another shape', '{"v":2,"logs":{}}'],
    ['an entry without a note', '{"v":1,"logs":{"okta":{"verifiedAtMs":1}}}'],
    ['a note that is no checkpoint', '{"v":1,"logs":{"okta":{"note":"x","verifiedAtMs":1}}}'],
  ])('refuses a file holding %s, naming it', (_, text) => {
    const file = path.join(tempDir('vigil-memory-bad-'), 'memory.json');
    writeFileSync(file, text);
    const error = expectCode(() => readRollbackMemory(file), 'VERIFY_MEMORY_INVALID');
    expect(error.message).toContain(file);
    expect(error.category).toBe('input');
  });
});
