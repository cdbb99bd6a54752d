import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';

/**
 * Sizes and indices are JS numbers guarded to safe integers: Go uses uint64/int64 (Rekor v2 caps at
 * 2^63-1), 2^53 leaves is far beyond any audit log (research/ledger.md §1.5).
 */
export function assertTreeSize(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new VigilError<LedgerErrorCode>(
      'LEDGER_TREE_SIZE_INVALID',
      `${what} must be a non-negative safe integer`,
      {
        category: 'input',
        details: { [what]: value },
      },
    );
  }
}

/** Largest power of two strictly smaller than n (RFC 6962 §2.1 "k"), for n > 1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
