import { decodeLeafEnvelope, eventDigest, rawDigest } from '../ledger/leaf-envelope.js';
import { HASH_SIZE, hashLeaf } from '../ledger/merkle-hash.js';
import type { StoredEventRow, StoredLeaf } from './custody-reader.js';
import type { Finding } from './verification-report.js';

/** A finding about one leaf or event; the caller adds the source. */
export type LeafFinding = Omit<Finding, 'source'>;
export interface LeafFindingSink {
  add(finding: LeafFinding): void;
}

/**
 * The per-leaf half of `vigil verify`, for one contiguous range of leaves and the events stored
 * under them: each event against its leaf, and each leaf's hash for the tree. It needs nothing from
 * other ranges, so ranges can be checked in parallel (worker threads) and folded into the tree in
 * order afterwards.
 */
export interface LeafRangeResult {
  readonly from: number;
  /** Leaves checked (contiguous from `from`); fewer than asked when a gap stopped the range. */
  readonly count: number;
  /** Their RFC 6962 leaf hashes, concatenated (count × 32 bytes). */
  readonly leafHashes: Uint8Array;
  readonly events: number;
  readonly findings: LeafFinding[];
  /** The first missing leaf index, if the range has a gap. */
  readonly gapAt?: number;
}

/**
 * Leaves `from` ≤ index < `to`: `leaves` are the stored ones in that range sorted by index, `events`
 * the stored events under them sorted by leaf index.
 */
export function checkLeafRange(
  from: number,
  to: number,
  leaves: readonly StoredLeaf[],
  events: readonly StoredEventRow[],
  source: string,
  deep: boolean,
): LeafRangeResult {
  const findings: LeafFinding[] = [];
  const sink: LeafFindingSink = { add: (f) => findings.push(f) };
  const hashes = new Uint8Array(leaves.length * HASH_SIZE);
  let at = 0;
  let count = 0;
  let eventCount = 0;
  let gapAt: number | undefined;
  for (const leaf of leaves) {
    if (leaf.index !== from + count) {
      gapAt = from + count;
      break;
    }
    const rows: StoredEventRow[] = [];
    for (; at < events.length; at++) {
      const row = events[at]!;
      if (row.leafIndex === null || row.leafIndex > leaf.index) break;
      if (row.leafIndex === leaf.index) rows.push(row);
    }
    eventCount += rows.length;
    checkLeafAgainstEvents(leaf, rows, source, sink, deep);
    hashes.set(hashLeaf(leaf.data), count * HASH_SIZE);
    count++;
  }
  if (gapAt === undefined && from + count < to) gapAt = from + count;
  return {
    from,
    count,
    leafHashes: hashes.subarray(0, count * HASH_SIZE),
    events: eventCount,
    findings,
    ...(gapAt === undefined ? {} : { gapAt }),
  };
}

export function checkLeafAgainstEvents(
  leaf: StoredLeaf,
  rows: readonly StoredEventRow[],
  source: string,
  sink: LeafFindingSink,
  deep: boolean,
): void {
  let envelope;
  try {
    envelope = decodeLeafEnvelope(leaf.data);
  } catch (error) {
    sink.add({
      code: 'LEAF_ENVELOPE_INVALID',
      leafIndex: leaf.index,
      message: `leaf ${leaf.index}: ${error instanceof Error ? error.message : String(error)}`,
    });
    return;
  }
  const at = { leafIndex: leaf.index, eventId: envelope.eventId };
  if (envelope.source !== source) {
    sink.add({
      code: 'LEAF_WRONG_SOURCE',
      ...at,
      message: `leaf ${leaf.index} names source ${envelope.source}`,
    });
  }
  if (rows.length === 0) {
    sink.add({
      code: 'EVENT_MISSING',
      ...at,
      message: `leaf ${leaf.index}: event ${envelope.eventId} is not in the store`,
    });
    return;
  }
  if (rows.length > 1) {
    sink.add({
      code: 'EVENT_DUPLICATE_LEAF',
      ...at,
      message: `leaf ${leaf.index} is claimed by ${rows.length} stored events`,
    });
  }
  for (const row of rows) {
    if (row.providerId !== envelope.eventId || row.published !== envelope.published) {
      sink.add({
        code: 'EVENT_ID_MISMATCH',
        ...at,
        message: `leaf ${leaf.index} is for event ${envelope.eventId} (${envelope.published}) but the row is ${row.providerId} (${row.published})`,
      });
      continue;
    }
    if (envelope.rawSha256 !== undefined) {
      const digest = rawDigest(row.raw).toString('hex');
      if (digest !== envelope.rawSha256) {
        sink.add({
          code: 'EVENT_CONTENT_MISMATCH',
          ...at,
          message: `event ${row.providerId}: stored bytes hash to ${digest}, the leaf records ${envelope.rawSha256}`,
        });
        continue;
      }
      if (!deep) continue;
    }
    let digest: string;
    try {
      digest = eventDigest(JSON.parse(row.raw)).toString('hex');
    } catch {
      sink.add({
        code: 'EVENT_UNPARSEABLE',
        ...at,
        message: `event ${row.providerId}: stored JSON no longer parses`,
      });
      continue;
    }
    if (digest !== envelope.eventSha256) {
      sink.add({
        code: 'EVENT_CONTENT_MISMATCH',
        ...at,
        message: `event ${row.providerId}: stored content hashes to ${digest}, the leaf records ${envelope.eventSha256}`,
      });
    }
  }
}
