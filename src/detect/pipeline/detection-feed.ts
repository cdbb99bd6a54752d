import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { RawEvent } from '../../sources/page-format.js';
import type { Detection } from '../detection.js';
import type { DetectionLog } from './detection-log.js';
import type { DetectionPipeline } from './detection-pipeline.js';

export interface DetectionFeedOptions {
  readonly log: DetectionLog;
  /** A fresh pipeline; each source gets its own, so one org's events never feed another's detectors. */
  readonly pipeline: () => DetectionPipeline;
  /** Stores (and routes) one detection; the mark moves only after it resolves. */
  readonly onDetection: (detection: Detection, source: string) => Promise<void>;
  /**
   * How much history before the mark to replay silently, once, on a store whose mark predates saved
   * detector state (a store with none yet): afterwards state is loaded, not replayed.
   */
  readonly warmUpMs?: number;
  /** At most this many events of that history (the newest ones). */
  readonly warmUpMaxEvents?: number;
}

export interface FeedStart {
  /** Saved state entries loaded (only when an event had to be detected: state loads on first use). */
  readonly loaded: number;
  /** Events replayed to rebuild state (only on a store whose mark predates saved state). */
  readonly warmedUp: number;
  readonly caughtUp: number;
}

const MARK_EVERY = 2_000;
export const DEFAULT_WARM_UP_MS = 14 * 86_400_000;
export const DEFAULT_WARM_UP_MAX_EVENTS = 200_000;

/**
 * Detection over the custody store, in ledger order, exactly once per event across restarts. This is
 * the one detection path: `collect` and `demo` feed it what custody stores; `detect --input` runs
 * the same pipeline over a file.
 *
 * Custody commits a page first; detection follows and then records, per source, the last leaf index
 * it finished (its mark). A crash in between leaves events past the mark, and `start` detects them
 * before anything new is collected. Alerts are deduplicated by key, so an event detected twice (a
 * crash after its alert was stored, before the mark moved) raises nothing new.
 *
 * Stateful detectors keep bounded state (who signed in from where, which session came from which
 * network, open correlation windows). What changed in it is written with the mark, in the same
 * transaction, and `start` loads it: a restart — or a `collect --once` run from cron — sees the same
 * attacks a process running continuously would, at a cost set by the state, not by the history.
 */
export class DetectionFeed {
  readonly #mark = new Map<string, number>();
  readonly #pipelines = new Map<string, DetectionPipeline>();
  /** Sources whose saved state is not loaded yet: it is, before their first event is detected. */
  readonly #unloaded = new Set<string>();

  constructor(private readonly o: DetectionFeedOptions) {}

  #pipeline(source: string): DetectionPipeline {
    let pipeline = this.#pipelines.get(source);
    if (!pipeline) {
      pipeline = this.o.pipeline();
      this.#pipelines.set(source, pipeline);
    }
    return pipeline;
  }

  /** Warm-up, then catch-up of anything stored but not yet detected. */
  async start(source: string): Promise<FeedStart> {
    // A store written before the mark existed had detection run inline: take it as detected.
    const saved = (await this.o.log.mark(source)) ?? {
      leaf: await this.o.log.lastLeaf(source),
      stateSaved: false,
    };
    this.#mark.set(source, saved.leaf);
    let warmedUp = 0;
    // A run with nothing new (collect --once from cron) never reads the saved state.
    if (saved.stateSaved) this.#unloaded.add(source);
    else {
      // Once: rebuild state from recent history, then save it with the mark, so a crash later in
      // this first run is caught up on the next and no run replays again.
      warmedUp = await this.#warmUp(source, saved.leaf);
      await this.#setMark(source, saved.leaf);
    }
    const before = this.#loaded;
    const caughtUp = await this.#catchUp(source);
    return { loaded: this.#loaded - before, warmedUp, caughtUp };
  }

  #loaded = 0;

  /** The saved state of `source`, into its pipeline, before anything reads or changes it. */
  async #loadState(source: string): Promise<void> {
    if (!this.#unloaded.delete(source)) return;
    const pipeline = this.#pipeline(source);
    const batch: { part: string; key: string; json: string }[] = [];
    for await (const row of this.o.log.state(source)) {
      batch.push(row);
      this.#loaded++;
      if (batch.length === MARK_EVERY) pipeline.loadState(batch.splice(0), `detection state of ${source}`);
    }
    pipeline.loadState(batch, `detection state of ${source}`);
  }

  /**
   * A page custody just committed: `events` are leaves `firstLeaf`, `firstLeaf + 1`, ... Call
   * `start` for the source first: on a store with no mark yet, `start` takes everything already
   * stored as detected, which would include this page.
   */
  async stored(source: string, events: readonly RawEvent[], firstLeaf: number): Promise<void> {
    const mark = this.#mark.get(source);
    if (mark === undefined) throw new TypeError(`detection feed: start('${source}') before stored()`);
    if (firstLeaf > mark + 1) await this.#catchUp(source);
    const fresh = events.slice(Math.max(0, this.#mark.get(source)! + 1 - firstLeaf));
    if (fresh.length === 0) return;
    await this.#loadState(source);
    for (const e of fresh) await this.#detect(source, e.value as unknown as OktaLogEvent);
    await this.#setMark(source, firstLeaf + events.length - 1);
  }

  /** Closes the correlation windows of `source` that end by `timeMs` and raises what they found. */
  async flush(source: string, timeMs: number): Promise<void> {
    await this.#loadState(source);
    for (const d of this.#pipeline(source).flush(timeMs)) await this.o.onDetection(d, source);
  }

  async #detect(source: string, event: OktaLogEvent): Promise<void> {
    for (const d of this.#pipeline(source).process(event)) await this.o.onDetection(d, source);
  }

  async #warmUp(source: string, mark: number): Promise<number> {
    if (mark < 0) return 0;
    const lastMs = await this.o.log.publishedMs(source, mark);
    if (lastMs === undefined) return 0;
    const from = await this.o.log.windowStart(
      source,
      mark,
      lastMs - (this.o.warmUpMs ?? DEFAULT_WARM_UP_MS),
      this.o.warmUpMaxEvents ?? DEFAULT_WARM_UP_MAX_EVENTS,
    );
    if (from === undefined) return 0;
    const pipeline = this.#pipeline(source);
    let replayed = 0;
    for await (const { raw } of this.o.log.events(source, from - 1, mark)) {
      pipeline.process(JSON.parse(raw) as OktaLogEvent); // state only: these events were detected before
      replayed++;
    }
    return replayed;
  }

  async #catchUp(source: string): Promise<number> {
    let count = 0;
    let done = this.#mark.get(source) ?? -1;
    for await (const { leaf, raw } of this.o.log.events(source, done, Number.MAX_SAFE_INTEGER)) {
      await this.#loadState(source);
      await this.#detect(source, JSON.parse(raw) as OktaLogEvent);
      done = leaf;
      count++;
      if (count % MARK_EVERY === 0) await this.#setMark(source, done);
    }
    if (count > 0) await this.#setMark(source, done);
    return count;
  }

  async #setMark(source: string, leaf: number): Promise<void> {
    await this.#loadState(source); // never save over state this process has not read
    this.#mark.set(source, leaf);
    await this.o.log.setMark(source, leaf, this.#pipeline(source).takeStateChanges());
  }
}
