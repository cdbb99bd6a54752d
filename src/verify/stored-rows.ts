import type { StoredColumns } from './column-check.js';

/** The rows `vigil verify` checks, as a store hands them over (custody-reader.ts, leaf-check.ts). */
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
  /** The stored query columns, where verify re-derives them (column-check.ts). */
  readonly columns?: StoredColumns;
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
