import type { Clock } from '../core/clock.js';
import type { ConfigReader } from '../sources/config-reader.js';
import type { PostureService } from './posture-service.js';

export interface PostureRound {
  readonly source: string;
  /** The snapshot taken this round, if one was due. */
  readonly snapshot?: { readonly id: string; readonly objects: number; readonly incomplete: number };
  /** Shadow changes judged this round (each raised as a critical alert). */
  readonly shadowChanges: number;
  /** A snapshot that could not be taken (the collection goes on). */
  readonly error?: string;
}

/**
 * Posture inside `vigil collect`: after each collection round, per source, the newest snapshot is
 * reviewed once the System Log has been read past it (so an explaining event had its chance to
 * arrive) and its shadow changes raised as alerts; then a new snapshot is taken when the last one is
 * `intervalMs` old. Alerts are deduplicated by snapshot pair, so a restart reviewing again raises
 * nothing twice. A failed snapshot is reported and retried next round; collection never waits on it.
 */
export class PostureSchedule {
  readonly #reviewed = new Map<string, string>();

  constructor(
    private readonly service: PostureService,
    private readonly readers: readonly ConfigReader[],
    private readonly o: { readonly clock: Clock; readonly intervalMs: number; readonly logLagMs: number },
  ) {}

  /** `failed`: sources whose log collection failed this round: a provider in trouble is left alone. */
  async afterRound(signal?: AbortSignal, failed: ReadonlySet<string> = new Set()): Promise<PostureRound[]> {
    const rounds: PostureRound[] = [];
    for (const reader of this.readers) {
      const source = reader.name;
      if (failed.has(source)) continue;
      let shadowChanges = 0;
      try {
        shadowChanges = await this.#reviewIfReady(source);
        const latest = await this.service.newest(source);
        const due = !latest || this.o.clock.now() - Date.parse(latest.takenAt) >= this.o.intervalMs;
        if (!due) {
          rounds.push({ source, shadowChanges });
          continue;
        }
        const taken = await this.service.snapshot(source, reader, signal);
        rounds.push({
          source,
          shadowChanges,
          snapshot: {
            id: taken.id,
            objects: Object.keys(taken.snapshot.objects).length,
            incomplete: taken.snapshot.incomplete.length,
          },
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        rounds.push({ source, shadowChanges, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return rounds;
  }

  /** Reviews the newest snapshot once, when the log covers it; returns its shadow changes. */
  async #reviewIfReady(source: string): Promise<number> {
    const latest = await this.service.newest(source);
    if (!latest || this.#reviewed.get(source) === latest.id) return 0;
    const readAt = await this.service.logReadAt(source);
    if (readAt === null || readAt - this.o.logLagMs < Date.parse(latest.takenAt)) return 0;
    const report = await this.service.review(source, { logLagMs: this.o.logLagMs });
    this.#reviewed.set(source, latest.id);
    return report.findings.filter((f) => f.kind === 'shadow-change' && f.status === 'fail').length;
  }
}
