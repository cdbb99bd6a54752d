import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';
import { EMPTY_TREE_ROOT, HASH_SIZE, hashChildren } from './merkle-hash.js';

/** C2SP tlog-witness caps consistency proofs at 63 lines; no tree of < 2^63 leaves needs more. */
const MAX_PROOF_HASHES = 63;

type ProofCode = 'LEDGER_INCLUSION_PROOF_INVALID' | 'LEDGER_CONSISTENCY_PROOF_INVALID';

function fail(code: ProofCode, reason: string, details: Record<string, unknown>): never {
  throw new VigilError<LedgerErrorCode>(
    code,
    `${code === 'LEDGER_INCLUSION_PROOF_INVALID' ? 'inclusion' : 'consistency'} proof invalid: ${reason}`,
    {
      category: 'check',
      details: { reason, ...details },
    },
  );
}

function checkShape(
  code: ProofCode,
  sizes: Record<string, number>,
  hashes: Record<string, Uint8Array>,
  proof: readonly Uint8Array[],
): void {
  for (const [name, value] of Object.entries(sizes)) {
    if (!Number.isSafeInteger(value) || value < 0)
      fail(code, `${name} is not a valid size`, { [name]: value });
  }
  // Every hash is exactly one SHA-256 output; Go's transparency-dev/merkle checks the leaf the same way.
  for (const [name, value] of Object.entries(hashes)) {
    if (value.length !== HASH_SIZE) fail(code, `${name} is not ${HASH_SIZE} bytes`, { [name]: value.length });
  }
  if (proof.length > MAX_PROOF_HASHES) fail(code, 'proof too long', { length: proof.length });
  proof.forEach((p, i) => {
    if (p.length !== HASH_SIZE) fail(code, `proof[${i}] is not ${HASH_SIZE} bytes`, { index: i });
  });
}

const half = (n: number): number => Math.floor(n / 2);
const odd = (n: number): boolean => n % 2 === 1;

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

/** RFC 9162 §2.1.3.2: verifies that `leafHash` is leaf `index` of the tree of `size` with `root`. */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  const code = 'LEDGER_INCLUSION_PROOF_INVALID';
  checkShape(code, { index, size }, { leafHash, root }, proof);
  // Step 1.
  if (index >= size) fail(code, 'leaf index not below tree size', { index, size });
  // Steps 2-4 (arithmetic instead of bit operators: sizes may exceed 2^32).
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0) fail(code, 'proof too long', { index, size });
    if (odd(fn) || fn === sn) {
      r = hashChildren(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 5.
  if (sn !== 0) fail(code, 'proof too short', { index, size });
  if (!Buffer.from(r).equals(root)) fail(code, 'root mismatch', { index, size });
}

/**
 * RFC 9162 §2.1.4.2, plus the edge cases research/ledger.md §8.1 decides: equal sizes need an empty
 * proof and equal roots; old size 0 needs an empty proof and the empty-tree root (C2SP tlog-witness
 * semantics; transparency-dev/merkle rejects size 0 outright).
 */
export function verifyConsistency(
  oldSize: number,
  oldRoot: Uint8Array,
  newSize: number,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): void {
  const code = 'LEDGER_CONSISTENCY_PROOF_INVALID';
  checkShape(code, { oldSize, newSize }, { oldRoot, newRoot }, proof);
  const details = { oldSize, newSize };
  if (oldSize > newSize) fail(code, 'old size exceeds new size', details);
  if (oldSize === 0) {
    if (!EMPTY_TREE_ROOT.equals(oldRoot)) fail(code, 'empty tree with a non-empty root', details);
    if (proof.length !== 0) fail(code, 'proof from the empty tree must be empty', details);
    if (newSize === 0 && !EMPTY_TREE_ROOT.equals(newRoot))
      fail(code, 'empty tree with a non-empty root', details);
    return;
  }
  if (oldSize === newSize) {
    if (proof.length !== 0) fail(code, 'proof between equal sizes must be empty', details);
    if (!Buffer.from(oldRoot).equals(newRoot)) fail(code, 'equal sizes with different roots', details);
    return;
  }
  // Step 1.
  if (proof.length === 0) fail(code, 'empty proof', details);
  // Step 2: a power-of-two old tree is itself a subtree of the new one, so its root starts the chain.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  // Steps 3-4.
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // Step 5.
  let fr: Uint8Array = path[0] as Uint8Array;
  let sr: Uint8Array = fr;
  // Step 6.
  for (const c of path.slice(1)) {
    if (sn === 0) fail(code, 'proof too long', details);
    if (odd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 7.
  if (sn !== 0) fail(code, 'proof too short', details);
  if (!Buffer.from(fr).equals(oldRoot)) fail(code, 'old root mismatch', details);
  if (!Buffer.from(sr).equals(newRoot)) fail(code, 'new root mismatch', details);
}
