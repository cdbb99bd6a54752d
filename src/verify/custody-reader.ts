import type { HashReader } from '../ledger/hash-reader.js';

/**
 * What `vigil verify` reads from a custody store, per source. The store adapter implements it over
 * its tables; verification itself never sees SQL. Iterators run in index order so a store of any
 * size is checked in one pass with bounded memory.
 */
export interface StoredLeaf {
  readonly index: number;
  readonly data: Buffer;
}

export interface StoredEventRow {
  readonly providerId: string;
  readonly leafIndex: number | null;
  readonly published: string;
  /** The verbatim JSON the provider sent. */
  readonly raw: string;
}

export interface StoredCheckpoint {
  readonly id: number;
  readonly treeSize: number;
  readonly rootHash: Buffer;
  /** The signed note, verbatim. */
  readonly note: string;
}

export interface CustodyReader {
  sources(): Promise<string[]>;
  /** Leaves ordered by index, a page at a time. */
  leaves(source: string): AsyncIterable<readonly StoredLeaf[]>;
  /** Events ordered by leaf index (rows without one last), a page at a time. */
  events(source: string): AsyncIterable<readonly StoredEventRow[]>;
  /** Every checkpoint ever signed, oldest first. */
  checkpoints(source: string): Promise<StoredCheckpoint[]>;
  hashReader(source: string): HashReader;
}
