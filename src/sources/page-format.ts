import type { EventColumns } from './event-columns.js';

/** One event of a page: its exact text as the provider sent it, and the parsed value. */
export interface RawEvent {
  readonly raw: string;
  readonly value: Record<string, unknown>;
  /** The provider's event id (Okta: `uuid`). */
  readonly uuid: string;
  /** The provider's published time, verbatim, and as epoch milliseconds. */
  readonly published: string;
  readonly publishedMs: number;
}

/**
 * How a provider's log pages are read: split into each event's exact text (so the store keeps the
 * provider's bytes verbatim), each event checked, and its query columns derived. Custody runs this
 * on its preparation threads without knowing which provider it is; a format is chosen by name
 * (page-formats.ts) because it crosses to those threads by name.
 */
export interface PageFormat {
  readonly name: string;
  /**
   * Where each event of the page starts and ends, as [start, end) pairs of string indexes; with
   * `hints`, one number per event that the same scan learnt and `check` takes back (Okta: its count
   * of object members, so the duplicate-key check needs no second scan).
   */
  spans(body: string, hints?: number[]): number[];
  /** Parses and checks the event at position `index` of its page; throws SOURCE_BAD_PAGE and kin. */
  check(raw: string, index: number, hint?: number): RawEvent;
  /** The query columns of a checked event. */
  columns(event: RawEvent): EventColumns;
}
