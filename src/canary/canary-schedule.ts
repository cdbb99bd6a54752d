import type { Clock } from '../core/clock.js';
import type { CanaryService, CanaryTarget, ProbeReport } from './canary-service.js';

export interface CanaryRound {
  readonly source: string;
  /** The probes run this round, if they were due. */
  readonly probes: readonly ProbeReport[];
  /** Probes whose log check was judged this round, and how many of those failed. */
  readonly logChecked: number;
  readonly logMissing: number;
  /** Sign-ins to a canary that no probe made (each raised as a critical alert). */
  readonly foreign: number;
  readonly error?: string;
}

/** How far back each round looks for a canary sign-in that no probe made (alerts are once per event). */
const FOREIGN_LOOKBACK_MS = 24 * 3_600_000;

/**
 * Canaries inside `vigil collect`: after each collection round, per source, the log checks that are
 * due (the log read `logLagMs` past the probe), a look for foreign use of the canaries, and the
 * probes when the last ran `intervalMs` ago (the ledger remembers when, across restarts). A source
 * whose log collection failed this round is left alone; a failure is reported and retried next round.
 */
export class CanarySchedule {
  constructor(
    private readonly service: CanaryService,
    private readonly targets: readonly CanaryTarget[],
    private readonly o: { readonly clock: Clock; readonly intervalMs: number; readonly logLagMs: number },
  ) {}

  async afterRound(signal?: AbortSignal, failed: ReadonlySet<string> = new Set()): Promise<CanaryRound[]> {
    const rounds: CanaryRound[] = [];
    for (const target of this.targets) {
      const { source } = target;
      if (failed.has(source)) continue;
      let logChecked = 0;
      let logMissing = 0;
      let foreign = 0;
      try {
        const checks = await this.service.checkLogs(source, { logLagMs: this.o.logLagMs });
        logChecked = checks.length;
        logMissing = checks.filter((c) => c.status === 'fail').length;
        const logins = target.users.map((u) => u.user.login);
        foreign = (await this.service.foreignUse(source, logins, this.o.clock.now() - FOREIGN_LOOKBACK_MS))
          .length;
        const last = await this.service.lastProbeAt(source);
        const due = last === null || this.o.clock.now() - last >= this.o.intervalMs;
        const probes = due ? await this.service.run(target, signal) : [];
        rounds.push({ source, probes, logChecked, logMissing, foreign });
      } catch (error) {
        if (signal?.aborted) throw error;
        const why = error instanceof Error ? error.message : String(error);
        rounds.push({ source, probes: [], logChecked, logMissing, foreign, error: why });
      }
    }
    return rounds;
  }
}
