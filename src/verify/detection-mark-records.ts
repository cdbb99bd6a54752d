import { canonicalize } from '../ledger/jcs.js';

/**
 * The detection mark, ledgered each time it moves (issue 19): a record of kind `detection-marks` in
 * the log `<source>/detection-marks`, written in the transaction that moves the mark
 * (custody/stored-detection-log.ts). `vigil verify` then requires the stored mark to be the newest
 * ledgered one: a mark moved forward inside the tree (so detection silently skips events) or
 * deleted fails, naming both leaves.
 */
export interface DetectionMarkRecord {
  readonly source: string;
  /** The last leaf of the source's events log that detection has finished with; -1 before any. */
  readonly leaf: number;
}

export const detectionMarkRecordId = (leaf: number): string => `leaf:${leaf}`;

export function encodeDetectionMark(record: DetectionMarkRecord): string {
  return canonicalize({ v: 1, source: record.source, leaf: record.leaf });
}

/** The mark in `body`, or undefined when the bytes are not exactly one. */
export function decodeDetectionMark(body: string): DetectionMarkRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const r = parsed as Record<string, unknown> | null;
  if (!r || typeof r !== 'object' || r['v'] !== 1) return undefined;
  const { source, leaf } = r;
  if (typeof source !== 'string' || !Number.isSafeInteger(leaf) || (leaf as number) < -1) return undefined;
  const record = { source, leaf: leaf as number };
  return encodeDetectionMark(record) === body ? record : undefined;
}
