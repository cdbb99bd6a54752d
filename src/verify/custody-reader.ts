import type { HashReader } from '../ledger/hash-reader.js';
import type { LeafRangeResult } from './leaf-check.js';
import type { StoredEventRow } from './stored-rows.js';

export interface StoredCheckpoint {
  readonly id: number;
  readonly treeSize: number;
  readonly rootHash: Buffer;
  /** The signed note, verbatim. */
  readonly note: string;
}

/**
 * What `vigil verify` reads from a custody store, per source. The store adapter implements it over
 * its tables; verification itself never sees SQL. Iterators run in index order so a store of any
 * size is checked in one pass with bounded memory.
 */
export interface CustodyReader {
  sources(): Promise<string[]>;
  /**
   * Every leaf from index 0 up to the highest stored one, checked against its events
   * (`checkLeafRange`), in consecutive ranges in index order. A store may check ranges in parallel.
   */
  leafRanges(source: string, check: LeafRangeCheck): AsyncIterable<LeafRangeResult>;
  /**
   * Events whose leaf index is above `leafIndex`, in index order, a page at a time: those of the
   * head's tree (below `end`) and those at or above it with no leaf (a collector appending beside
   * verify adds events with their leaves, which belong to a later head).
   */
  eventsAfter(source: string, leafIndex: number, end: number): AsyncIterable<readonly StoredEventRow[]>;
  /** The log's head, read in one transaction (what verify checks the rest against). */
  head(source: string): Promise<LogHead>;
  hashReader(source: string): HashReader;
}

export interface LeafRangeCheck {
  /** Also re-canonicalize every event (custody-verifier.ts VerifyOptions.deep). */
  readonly deep: boolean;
  /** The source's page format by name: re-derive every event's query columns with it. */
  readonly format?: string;
  /** Check leaves [0, end): the head's tree size. */
  readonly end: number;
}

/**
 * What the store says about one log at one instant: the tree, the row counts, the checkpoints and
 * the marks that claim how far collection and detection got. Read together, so a collector
 * appending beside verify cannot make them disagree.
 */
export interface LogHead {
  /** One past the highest leaf index. */
  readonly treeSize: number;
  readonly leaves: number;
  readonly events: number;
  /** Every checkpoint ever signed, oldest first. */
  readonly checkpoints: StoredCheckpoint[];
  /** The collection cursor, if the log has one. */
  readonly cursor?: {
    /** Published time (ms) of the newest event polling stored; null before the first. */
    readonly highWaterMs: number | null;
    /** Whether a stored event of the log was published at exactly `highWaterMs`. */
    readonly highWaterStored: boolean;
  };
  /** The newest published time (ms) among the stored events, if any. */
  readonly newestPublishedMs: number | null;
  /** The last leaf index detection has finished with, if it ran. */
  readonly detectedTo?: number;
  /**
   * The newest detection mark ledgered in `<log>/detection-marks` (detection-mark-records.ts), if
   * any: its leaf (null when its record is not a mark) and its record id. Only events logs have one.
   */
  readonly ledgeredMark?: { readonly leaf: number | null; readonly recordId: string };
}
