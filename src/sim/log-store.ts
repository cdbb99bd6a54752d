import type { Random } from '../core/seeded-random.js';
import type { OktaLogEvent } from '../sources/okta/log-event.js';
import { searchableText } from './query/keyword-search.js';

/** One event as Okta holds it: its published time and the later time it was committed to the log. */
export interface HeldEvent {
  readonly event: OktaLogEvent;
  readonly publishedMs: number;
  readonly persistedMs: number;
  readonly text: string;
  searchText?: string;
}

export interface PersistenceOptions {
  /** Share of events committed late (minutes rather than seconds), wherever they are in the history. */
  readonly lateRate: number;
  /** The longest such delay, counted from when the simulator first holds the event. */
  readonly lateMaxMs: number;
}

/**
 * The simulator's System Log: every event with its two clocks (okta-api.md "What a faithful simulator
 * must implement", 2). Polling reads by persistence order, bounded queries by published order.
 * Persistence lag is a few hundred ms to ~10 s ("delayed up to 10 seconds", release 2018.20), and for
 * `lateRate` of events up to `lateMaxMs` after the simulator first holds them: for history generated
 * at start-up that is after start-up, wherever the event sits in the history, so a backfill meets
 * gaps that fill in behind it; for live traffic it is after publication.
 */
export class SimLogStore {
  #byPersistence: HeldEvent[] = [];
  #byPublished: HeldEvent[] = [];

  constructor(
    private readonly random: Random,
    private readonly persistence: PersistenceOptions,
  ) {}

  /** Holds `events` from `nowMs` on (the time the simulator generated them). */
  add(events: readonly OktaLogEvent[], nowMs: number): void {
    if (events.length === 0) return;
    const fresh: HeldEvent[] = [];
    for (const event of events) {
      const publishedMs = Date.parse(event.published);
      const persistedMs = this.random.chance(this.persistence.lateRate)
        ? Math.max(publishedMs, nowMs) + this.random.int(30_000, Math.max(30_000, this.persistence.lateMaxMs))
        : publishedMs + Math.min(10_000, Math.round(200 + this.random.exponential(800)));
      const held: HeldEvent = { event, publishedMs, persistedMs, text: JSON.stringify(event) };
      fresh.push(held);
    }
    // The log is served while it grows (a request catches it up): new events are merged in, not
    // the whole log re-sorted on every request.
    mergeInto(this.#byPersistence, fresh, byPersistence);
    mergeInto(this.#byPublished, fresh, byPublished);
  }

  /** Drops events published before `cutoffMs` (Okta keeps 90 days). */
  expire(cutoffMs: number): void {
    const expired = this.publishedIndexAt(cutoffMs);
    if (expired === 0) return;
    this.#byPublished = this.#byPublished.slice(expired);
    this.#byPersistence = this.#byPersistence.filter((h) => h.publishedMs >= cutoffMs);
  }

  get byPersistence(): readonly HeldEvent[] {
    return this.#byPersistence;
  }

  get byPublished(): readonly HeldEvent[] {
    return this.#byPublished;
  }

  /** First position in persistence order whose persistence time is at least `ms`. */
  persistenceIndexAt(ms: number): number {
    return lowerBound(this.#byPersistence, (h) => h.persistedMs < ms);
  }

  publishedIndexAt(ms: number): number {
    return lowerBound(this.#byPublished, (h) => h.publishedMs < ms);
  }

  /**
   * Where the event (`ms`, `id`) sits in published order: the first position after it (`past`), or
   * its own (the first not before it). The event need not be held any more.
   */
  publishedPositionOf(ms: number, id: string, past: boolean): number {
    return lowerBound(
      this.#byPublished,
      (h) => h.publishedMs < ms || (h.publishedMs === ms && (past ? h.event.uuid <= id : h.event.uuid < id)),
    );
  }

  static searchText(held: HeldEvent): string {
    held.searchText ??= searchableText(held.event);
    return held.searchText;
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byPersistence = (a: HeldEvent, b: HeldEvent) =>
  a.persistedMs - b.persistedMs || cmp(a.event.uuid, b.event.uuid);
const byPublished = (a: HeldEvent, b: HeldEvent) =>
  a.publishedMs - b.publishedMs || cmp(a.event.uuid, b.event.uuid);

/** Merges `fresh` into the sorted `items` in place; only the tail that interleaves is moved. */
function mergeInto(
  items: HeldEvent[],
  fresh: readonly HeldEvent[],
  order: (a: HeldEvent, b: HeldEvent) => number,
) {
  const added = [...fresh].sort(order);
  const start = lowerBound(items, (h) => order(h, added[0]!) <= 0);
  const tail = items.splice(start);
  let i = 0;
  let j = 0;
  while (i < tail.length && j < added.length)
    items.push(order(tail[i]!, added[j]!) <= 0 ? tail[i++]! : added[j++]!);
  while (i < tail.length) items.push(tail[i++]!);
  while (j < added.length) items.push(added[j++]!);
}

function lowerBound<T>(items: readonly T[], before: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(items[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
