/**
 * What detection reads and writes in the store, per source: the stored events in ledger order, and
 * its mark (the last leaf whose event went through the pipeline with its alerts stored). The custody
 * store implements it (custody/stored-detection-log.ts); detection never sees SQL.
 */
export interface DetectionLog {
  /** The mark, or undefined before detection first ran on this source. */
  mark(source: string): Promise<number | undefined>;
  setMark(source: string, leaf: number): Promise<void>;
  /** The highest stored leaf index, -1 with none. */
  lastLeaf(source: string): Promise<number>;
  /** The oldest leaf index ≤ `through` published at or after `fromMs`, among the newest `max` such. */
  windowStart(source: string, through: number, fromMs: number, max: number): Promise<number | undefined>;
  /** The published time of the event at `leaf`. */
  publishedMs(source: string, leaf: number): Promise<number | undefined>;
  /** Stored events with after < leaf ≤ through, in ledger order, as their verbatim JSON. */
  events(source: string, after: number, through: number): AsyncIterable<{ leaf: number; raw: string }>;
}
