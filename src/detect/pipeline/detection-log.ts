import type { PipelineStateRow } from './detection-pipeline.js';

/** Where detection stands on a source: its mark, and whether detector state was saved with it. */
export interface DetectionMark {
  readonly leaf: number;
  /** False for a mark written before detector state was kept: its state is rebuilt once by replay. */
  readonly stateSaved: boolean;
}

/**
 * What detection reads and writes in the store, per source: the stored events in ledger order, its
 * mark (the last leaf whose event went through the pipeline with its alerts stored) and the detector
 * state saved with the mark. The custody store implements it (custody/stored-detection-log.ts);
 * detection never sees SQL.
 */
export interface DetectionLog {
  /** The mark, or undefined before detection first ran on this source. */
  mark(source: string): Promise<DetectionMark | undefined>;
  /** Moves the mark and writes the state that changed up to it, in one transaction. */
  setMark(source: string, leaf: number, state: readonly PipelineStateRow[]): Promise<void>;
  /** The detector state saved for the source. */
  state(source: string): AsyncIterable<{ part: string; key: string; json: string }>;
  /** The highest stored leaf index, -1 with none. */
  lastLeaf(source: string): Promise<number>;
  /** The oldest leaf index ≤ `through` published at or after `fromMs`, among the newest `max` such. */
  windowStart(source: string, through: number, fromMs: number, max: number): Promise<number | undefined>;
  /** The published time of the event at `leaf`. */
  publishedMs(source: string, leaf: number): Promise<number | undefined>;
  /** Stored events with after < leaf ≤ through, in ledger order, as their verbatim JSON. */
  events(source: string, after: number, through: number): AsyncIterable<{ leaf: number; raw: string }>;
}
