import { decodeRecordEnvelope } from '../ledger/record-envelope.js';
import { HASH_SIZE, hashLeaf, sha256 } from '../ledger/merkle-hash.js';
import { checkRangeNodes, type LeafFinding, type LeafRangeResult, type StoredLevel } from './leaf-check.js';
import type { StoredLeaf } from './stored-rows.js';

/** A record as the store hands it to `vigil verify` (ledger kinds other than events). */
export interface StoredRecordRow {
  readonly leafIndex: number;
  readonly kind: string;
  readonly recordId: string;
  readonly time: string;
  /** The record's stored bytes, or their text where that is exact (see `decodedExactly`). */
  readonly body: string | Uint8Array;
}

/**
 * The per-leaf half of `vigil verify` for a record log (`<source>/<kind>`), the counterpart of
 * `checkLeafRange` for events: each leaf must be a canonical record envelope of this log's source
 * and kind, and the record stored under it must carry the envelope's id and time and hash to its
 * digest. `records` are sorted by leaf index; at most one row per leaf (the store's key).
 */
export function checkRecordRange(
  from: number,
  to: number,
  leaves: readonly StoredLeaf[],
  records: readonly StoredRecordRow[],
  log: { readonly source: string; readonly kind: string },
  nodes: { readonly level: number; readonly stored: readonly StoredLevel[] },
): LeafRangeResult {
  const findings: LeafFinding[] = [];
  const byLeaf = new Map(records.map((r) => [r.leafIndex, r]));
  const hashes = new Uint8Array(leaves.length * HASH_SIZE);
  let count = 0;
  let gapAt: number | undefined;
  for (const leaf of leaves) {
    if (leaf.index !== from + count) {
      gapAt = from + count;
      break;
    }
    checkRecordLeaf(leaf, byLeaf.get(leaf.index), log, findings);
    hashes.set(hashLeaf(leaf.data), count * HASH_SIZE);
    count++;
  }
  if (gapAt === undefined && from + count < to) gapAt = from + count;
  const sink = { add: (f: LeafFinding) => findings.push(f) };
  return {
    from,
    count,
    subtrees: checkRangeNodes(
      from,
      count,
      hashes.subarray(0, count * HASH_SIZE),
      nodes.level,
      nodes.stored,
      sink,
    ),
    events: records.filter((r) => r.leafIndex >= from && r.leafIndex < from + count).length,
    findings,
    ...(gapAt === undefined ? {} : { gapAt }),
  };
}

/** Records stored above the log's last leaf: kept, but in no tree. */
export function unledgeredRecords(after: number, records: readonly StoredRecordRow[]): LeafRangeResult {
  return {
    from: after,
    count: 0,
    subtrees: [new Uint8Array(0)],
    events: records.length,
    findings: records.map((r) => ({
      code: 'RECORD_UNLEDGERED',
      leafIndex: r.leafIndex,
      recordId: r.recordId,
      message: `stored record ${r.recordId} has no leaf in the ledger`,
    })),
  };
}

function checkRecordLeaf(
  leaf: StoredLeaf,
  record: StoredRecordRow | undefined,
  log: { readonly source: string; readonly kind: string },
  findings: LeafFinding[],
): void {
  let envelope;
  try {
    envelope = decodeRecordEnvelope(leaf.data);
  } catch (error) {
    findings.push({
      code: 'LEAF_ENVELOPE_INVALID',
      leafIndex: leaf.index,
      message: `leaf ${leaf.index}: ${error instanceof Error ? error.message : String(error)}`,
    });
    return;
  }
  const at = { leafIndex: leaf.index, recordId: envelope.recordId };
  if (envelope.source !== log.source || envelope.kind !== log.kind) {
    findings.push({
      code: 'LEAF_WRONG_SOURCE',
      ...at,
      message: `leaf ${leaf.index} names ${envelope.source}/${envelope.kind}, not ${log.source}/${log.kind}`,
    });
  }
  if (!record) {
    findings.push({
      code: 'RECORD_MISSING',
      ...at,
      message: `leaf ${leaf.index}: record ${envelope.recordId} is not in the store`,
    });
    return;
  }
  if (
    record.recordId !== envelope.recordId ||
    record.time !== envelope.time ||
    record.kind !== envelope.kind
  ) {
    findings.push({
      code: 'RECORD_ID_MISMATCH',
      ...at,
      message: `leaf ${leaf.index} is for ${envelope.kind} record ${envelope.recordId} (${envelope.time}) but the row is ${record.kind} record ${record.recordId} (${record.time})`,
    });
    return;
  }
  const digest = sha256(record.body).toString('hex');
  if (digest !== envelope.recordSha256) {
    findings.push({
      code: 'RECORD_CONTENT_MISMATCH',
      ...at,
      message: `record ${record.recordId}: stored bytes hash to ${digest}, the leaf records ${envelope.recordSha256}`,
    });
  }
}
