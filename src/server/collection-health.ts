/**
 * Whether collection keeps up, for `/readyz`: each source's last finished round, as the collection
 * running in this process (`vigil serve --collect`) reports it. A console without `--collect` judges
 * only the store (the collector is another process with its own service manager).
 */
export class CollectionHealth {
  readonly #lastRoundMs = new Map<string, number>();
  #failure: string | undefined;

  constructor(
    /** True when this process collects (`--collect`). */
    readonly collecting: boolean,
    /** A source whose last round finished longer ago than this is stalled. */
    readonly stallAfterMs: number,
    private readonly startedMs: number,
  ) {}

  /** A round of `source` finished (caught up, or failed and will retry) at `atMs`. */
  roundFinished(source: string, atMs: number): void {
    this.#lastRoundMs.set(source, atMs);
  }

  /** Collection stopped for good (`--collect` failed as a whole): not ready until restarted. */
  failed(why: string): void {
    this.#failure = why;
  }

  get failure(): string | undefined {
    return this.#failure;
  }

  /** Sources whose collection has not finished a round within `stallAfterMs` of `nowMs`. */
  stalled(sources: readonly string[], nowMs: number): { source: string; sinceMs: number }[] {
    if (!this.collecting) return [];
    return sources.flatMap((source) => {
      const last = this.#lastRoundMs.get(source) ?? this.startedMs;
      return nowMs - last > this.stallAfterMs ? [{ source, sinceMs: last }] : [];
    });
  }

  lastRound(source: string): number | undefined {
    return this.#lastRoundMs.get(source);
  }
}
