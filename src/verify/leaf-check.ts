import { decodeLeafEnvelope, eventDigest, rawDigest } from '../ledger/leaf-envelope.js';
import { HASH_SIZE, hashChildren, hashLeaf } from '../ledger/merkle-hash.js';
import type { PageFormat } from '../sources/page-format.js';
import { checkEventColumns } from './column-check.js';
import type { StoredEventRow, StoredLeaf } from './stored-rows.js';
import type { Finding } from './verification-report.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

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
  /**
   * The tree recomputed from these leaves: `subtrees[k]` holds, concatenated, the hashes of the
   * complete level-k nodes inside [from, from + count), starting with node from / 2^k. Level 0 is the
   * RFC 6962 leaf hashes; there are levels up to the range's own, and every stored node of those
   * levels inside the range was checked here, so the caller checks only the nodes above. The caller
   * appends whole subtrees from these to its tree instead of every leaf.
   */
  readonly subtrees: Uint8Array[];
  readonly events: number;
  readonly findings: LeafFinding[];
  /** The first missing leaf index, if the range has a gap. */
  readonly gapAt?: number;
}

/**
 * Leaf ranges are aligned on 2^level leaves, so every tree node up to that level lies inside one
 * range and is checked with it, in parallel; only the few nodes above are left to the caller.
 * By default 2^10 = 1024 leaves (about 2.5 MB of events) per range: measured on 190,000 events with
 * events read as text, 2^11 was a tenth slower (more of each range outlives a young-generation
 * collection) and 2^9 no faster.
 */
export const RANGE_LEVEL = 10;

/**
 * The stored nodes of one level within a range, as the range reads them: in the usual case all of
 * them, as one run of 32-byte hashes in index order from node `first`; otherwise whatever is stored,
 * by index.
 */
export type StoredLevel =
  { readonly first: number; readonly hashes: Uint8Array } | ReadonlyMap<number, Uint8Array>;

/** The node index span [lo, hi) of `level` within leaves [from, to). */
export function levelSpan(level: number, from: number, to: number): [lo: number, hi: number] {
  const width = 2 ** level;
  return [Math.ceil(from / width), Math.floor(to / width)];
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
  /** The range's level (it spans 2^level leaves) and its stored nodes of levels 0..level. */
  nodes: { readonly level: number; readonly stored: readonly StoredLevel[] },
  /** The source's page format: re-derive each event's stored columns with it (column-check.ts). */
  format?: PageFormat,
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
    checkLeafAgainstEvents(leaf, rows, source, sink, deep, format);
    hashes.set(hashLeaf(leaf.data), count * HASH_SIZE);
    count++;
  }
  if (gapAt === undefined && from + count < to) gapAt = from + count;
  const leafHashes = hashes.subarray(0, count * HASH_SIZE);
  return {
    from,
    count,
    subtrees: checkRangeNodes(from, count, leafHashes, nodes.level, nodes.stored, sink),
    events: eventCount,
    findings,
    ...(gapAt === undefined ? {} : { gapAt }),
  };
}

/** A stored tree node that is missing or differs from the tree recomputed from the leaves. */
export function nodeFinding(
  code: 'NODE_MISSING' | 'NODE_MISMATCH',
  level: number,
  index: number,
): LeafFinding {
  return {
    code,
    ...(level === 0 ? { leafIndex: index } : {}),
    message:
      code === 'NODE_MISSING'
        ? `tree node level ${level} index ${index} is not stored`
        : `stored tree node level ${level} index ${index} differs from the hash recomputed from the leaves`,
  };
}

/**
 * Every complete node of levels 0..rangeLevel over leaves [from, from + count), recomputed from
 * the leaf hashes, against the stored one; returns the recomputed levels (LeafRangeResult.subtrees).
 * `from` is a multiple of 2^rangeLevel.
 */
export function checkRangeNodes(
  from: number,
  count: number,
  leafHashes: Uint8Array,
  rangeLevel: number,
  stored: readonly StoredLevel[],
  sink: LeafFindingSink,
): Uint8Array[] {
  const levels: Uint8Array[] = [];
  let level = leafHashes;
  for (let k = 0; k <= rangeLevel; k++) {
    if (k > 0) {
      const below = level;
      level = new Uint8Array(Math.floor(below.length / (2 * HASH_SIZE)) * HASH_SIZE);
      for (let j = 0; j < level.length; j += HASH_SIZE) {
        const left = below.subarray(2 * j, 2 * j + HASH_SIZE);
        level.set(hashChildren(left, below.subarray(2 * j + HASH_SIZE, 2 * j + 2 * HASH_SIZE)), j);
      }
    }
    levels.push(level);
    const first = from / 2 ** k;
    const found = stored[k] ?? new Map<number, Uint8Array>();
    for (let j = 0; j * HASH_SIZE < level.length; j++) {
      const index = first + j;
      let same: boolean;
      if ('hashes' in found) {
        const at = (index - found.first) * HASH_SIZE;
        if (at < 0 || at + HASH_SIZE > found.hashes.length) {
          sink.add(nodeFinding('NODE_MISSING', k, index));
          continue;
        }
        same = equalHashes(level, j * HASH_SIZE, found.hashes, at);
      } else {
        const hash = found.get(index);
        if (hash === undefined) {
          sink.add(nodeFinding('NODE_MISSING', k, index));
          continue;
        }
        same = hash.length === HASH_SIZE && equalHashes(level, j * HASH_SIZE, hash, 0);
      }
      if (!same) sink.add(nodeFinding('NODE_MISMATCH', k, index));
    }
  }
  return levels;
}

function equalHashes(a: Uint8Array, atA: number, b: Uint8Array, atB: number): boolean {
  for (let i = 0; i < HASH_SIZE; i++) if (a[atA + i] !== b[atB + i]) return false;
  return true;
}

export function checkLeafAgainstEvents(
  leaf: StoredLeaf,
  rows: readonly StoredEventRow[],
  source: string,
  sink: LeafFindingSink,
  deep: boolean,
  format?: PageFormat,
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
      if (!deep && !format) continue;
    }
    const unparseable = () =>
      sink.add({
        code: 'EVENT_UNPARSEABLE',
        ...at,
        message: `event ${row.providerId}: stored JSON no longer parses`,
      });
    let text: string;
    try {
      text = typeof row.raw === 'string' ? row.raw : UTF8.decode(row.raw);
    } catch {
      unparseable();
      continue;
    }
    // The columns from the one parse, which --deep then digests too.
    let value: unknown;
    if (format) {
      if (!row.columns) throw new TypeError(`verify: the store read no columns for event ${row.providerId}`);
      const event = checkEventColumns(text, row.columns, format, at, sink);
      if (!event) continue;
      if (!deep && envelope.rawSha256 !== undefined) continue;
      value = event.value;
    } else {
      try {
        value = JSON.parse(text);
      } catch {
        unparseable();
        continue;
      }
    }
    const digest = eventDigest(value, text).toString('hex');
    if (digest !== envelope.eventSha256) {
      sink.add({
        code: 'EVENT_CONTENT_MISMATCH',
        ...at,
        message: `event ${row.providerId}: stored content hashes to ${digest}, the leaf records ${envelope.eventSha256}`,
      });
    }
  }
}
