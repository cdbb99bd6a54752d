import type { HashReader } from '../ledger/hash-reader.js';
import type { LeafRangeResult } from './leaf-check.js';

/**
 * What `vigil verify` reads from a custody store, per source. The store adapter implements it over
 * its tables; verification itself never sees SQL. Iterators run in index order so a store of any
 * size is checked in one pass with bounded memory.
 */
export interface StoredLeaf {
  readonly index: number;
  /** The leaf envelope's bytes, or their text where that is exact (see `decodedExactly`). */
  readonly data: Uint8Array | string;
}

export interface StoredEventRow {
  readonly providerId: string;
  readonly leafIndex: number | null;
  readonly published: string;
  /**
   * The verbatim JSON the provider sent: its stored bytes, or their text where that is exact (see
   * `decodedExactly`); a store may skip the bytes, which are slower to read.
   */
  readonly raw: string | Uint8Array;
}

/**
 * Whether `text`, decoded from stored UTF-8 (SQLite text handed to JavaScript), is exact: encoding
 * it again gives back the stored bytes, so digests over the text are digests over those bytes.
 * Decoding replaces every invalid byte sequence with U+FFFD; text without one came from valid
 * UTF-8, which round-trips. A tampered byte could otherwise hide behind its replacement character,
 * so a reader passes the bytes themselves wherever this is false.
 */
export function decodedExactly(text: string): boolean {
  return !text.includes('\uFFFD');
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
