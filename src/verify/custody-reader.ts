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
  leafRanges(source: string, deep: boolean): AsyncIterable<LeafRangeResult>;
  /** Events whose leaf index is above `leafIndex`, in index order, a page at a time. */
  eventsAfter(source: string, leafIndex: number): AsyncIterable<readonly StoredEventRow[]>;
  /** Every checkpoint ever signed, oldest first. */
  checkpoints(source: string): Promise<StoredCheckpoint[]>;
  hashReader(source: string): HashReader;
}
