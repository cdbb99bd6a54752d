import type { Command } from 'commander';
import {
  deliveryNoticeLine,
  formatAlertRunSummary,
  hasUndelivered,
  type AlertRunSummary,
} from '../../alerts/alert-run-summary.js';
import { isoTime } from '../../core/clock.js';
import { createRandom } from '../../core/seeded-random.js';
import { VigilError } from '../../core/vigil-error.js';
import { LogCollector, type CollectProgress } from '../../custody/log-collector.js';
import { rewrittenEventDetection } from '../../alerts/rewritten-event-detection.js';
import type { LogSource } from '../../sources/log-source.js';
import type { Detection } from '../../detect/detection.js';
import type { Runtime } from '../../runtime/runtime.js';
import { PostureSchedule, type PostureRound } from '../../posture/posture-schedule.js';
import { PostureService } from '../../posture/posture-service.js';
import { CanarySchedule, type CanaryRound } from '../../canary/canary-schedule.js';
import { CanaryService } from '../../canary/canary-service.js';
import { canaryTargets } from '../../canary/canary-targets.js';
import { MAX_POLL_INTERVAL_SECONDS } from '../../config/vigil-config.js';
import { isoTimeFlag, wholeNumberFlag } from '../flag-parsers.js';
import { safeText } from '../safe-text.js';
import { StatusLine } from '../status-line.js';
import { terminalOf } from '../terminal.js';
import type { PublicationReport } from '../../runtime/checkpoint-publication.js';
import { reportPublications } from './witness.js';
import { withCommandRuntime, type CliContext, type CommandRegistrar } from '../cli-context.js';
import { collectingRuntimeOptions } from '../collecting-runtime.js';

interface CollectFlags {
  once?: boolean;
  since?: string;
  pollInterval?: string;
  json?: boolean;
}

/** `vigil collect`: pull every configured source; `--once` until caught up, else follow forever. */
export const registerCollectCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  program
    .command('collect')
    .description('pull events from every configured source into the custody store')
    .option('--once', 'collect until caught up, then exit')
    .option('--since <iso>', 'where a first run starts (default: 90 days back)')
    .option('--poll-interval <seconds>', 'seconds between polls when following')
    .option('--json', 'print a JSON summary (progress stays on stderr)')
    .action(async (flags: CollectFlags, cmd: Command) => {
      const sinceMs = isoTimeFlag('since', flags.since);
      const intervalFlag = wholeNumberFlag('poll-interval', flags.pollInterval);
      if (intervalFlag !== undefined && (intervalFlag < 1 || intervalFlag > MAX_POLL_INTERVAL_SECONDS))
        throw new VigilError(
          'CLI_BAD_NUMBER',
          `--poll-interval must be a whole number of seconds from 1 to ${MAX_POLL_INTERVAL_SECONDS}`,
          { category: 'input' },
        );
      // A collecting runtime has checked sources, tokens and sink secrets before opening anything.
      const collection = await withCommandRuntime(cmd, ctx, collectingRuntimeOptions(cmd, ctx), (runtime) =>
        collectSources(ctx, runtime, {
          once: flags.once === true,
          roundLines: !flags.once && !flags.json,
          ...(sinceMs === undefined ? {} : { sinceMs }),
          ...(intervalFlag === undefined ? {} : { intervalSeconds: intervalFlag }),
        }),
      );
      const { alerts, results, startup, checkpoints, posture, canaries } = collection;
      const published = [...startup, ...checkpoints];
      const checkpointSummary = reportPublications(ctx, published);
      // Issue 14: an alert that has not reached every sink it should is a failed run.
      if (flags.once && hasUndelivered(alerts)) ctx.exitCode = 1;
      if (flags.json)
        ctx.stdout.write(
          JSON.stringify(
            {
              sources: results,
              alertsRaised: alerts.raised,
              alerts,
              checkpoints: published,
              posture,
              canaries,
            },
            null,
            2,
          ) + '\n',
        );
      else {
        for (const r of results)
          ctx.stdout.write(
            `${r.source}: ${r.stored} new events, ${r.duplicates} duplicates skipped, ${r.recovered} recovered by overlap, ${r.pages} pages${r.rewritten > 0 ? `, ${r.rewritten} REWRITTEN by the provider` : ''}${r.future > 0 ? `, ${r.future} published in the future` : ''}${r.error ? `, FAILED: ${r.error.code}` : ''}\n`,
          );
        for (const p of posture)
          if (p.snapshot)
            ctx.stdout.write(
              `${p.source}: configuration snapshot ${p.snapshot.id}, ${p.snapshot.objects} objects${p.snapshot.incomplete ? `, ${p.snapshot.incomplete} families not read` : ''}\n`,
            );
        ctx.stdout.write(formatAlertRunSummary(alerts));
        ctx.stdout.write(checkpointSummary);
      }
    });
};

export type RoundResult = CollectProgress & { error?: { code: string; message: string } };

export interface CollectOptions {
  /** Until caught up once, then return; else follow until `ctx.signal` aborts. */
  readonly once: boolean;
  /** Follow mode's timestamped line per source and round on stdout (a service's log). */
  readonly roundLines: boolean;
  readonly sinceMs?: number;
  /** Else vigil.yaml's `collect.pollIntervalSeconds`. */
  readonly intervalSeconds?: number;
  /**
   * Called after each source's round with the round and the run's alert totals so far (`vigil serve
   * --collect` feeds its metrics and readiness from it). It must not throw.
   */
  readonly onRound?: (round: RoundResult, totals: RoundTotals) => void;
}

export interface RoundTotals {
  readonly alertsRaised: number;
  readonly delivered: number;
  readonly failedDeliveries: number;
}

/** What a collection run did, over the whole run (per source, in the configured order). */
export interface CollectionRun {
  readonly results: RoundResult[];
  readonly alerts: AlertRunSummary;
  /** Checkpoints the store held at start, published before anything was appended. */
  readonly startup: PublicationReport[];
  /** Each source's last round's publications. */
  readonly checkpoints: PublicationReport[];
  readonly posture: PostureRound[];
  readonly canaries: CanaryRound[];
}

/**
 * Collection over an open, collecting runtime: each source in its own loop (issue 19), posture and
 * canaries after its rounds, checkpoints published, the outbox delivered. `vigil collect` and `vigil
 * serve --collect` both run it; it returns when `once` is done or `ctx.signal` aborts.
 */
export async function collectSources(
  ctx: CliContext,
  runtime: Runtime,
  options: CollectOptions,
): Promise<CollectionRun> {
  const { sinceMs } = options;
  const intervalFlag = options.intervalSeconds;
  // Progress only on a terminal, fitted to its width; a log file gets whole lines only.
  const status = new StatusLine(ctx.stderr, terminalOf(ctx.stderr, ctx.env));
  // The whole run, per source: what a follow-mode run reports when it stops.
  const run = new Map<string, RoundResult>();
  // The configured sources' order, for the summary (each source's loop ends when it ends).
  const order: string[] = [];
  // Checkpoints the store held at start, then the last round's (runtime/checkpoint-publication.ts).
  const startup: PublicationReport[] = [];
  const checkpoints = new Map<string, PublicationReport[]>();
  // Posture inside collect (vigil.yaml posture.snapshotIntervalMinutes): the last round's.
  const posture = new Map<string, PostureRound[]>();
  // Canary sign-ins inside collect (vigil.yaml canaries.intervalMinutes): the last round's.
  const canaries = new Map<string, CanaryRound[]>();
  const interval = intervalFlag ?? runtime.config.collect.pollIntervalSeconds;
  const sources = runtime.logSources();
  order.push(...sources.map((source) => source.name));
  const detection = await runtime.detection(undefined, (notice) => {
    const line = deliveryNoticeLine(notice, isoTime);
    if (!line) return;
    status.clear();
    ctx.stderr.write(`vigil collect: ${line}\n`);
  });
  const custody = runtime.custody();
  const publication = runtime.checkpointPublication(detection.raise);
  // Rebuild detector state from recent history and detect anything a crash left undetected.
  for (const source of sources) await detection.feed.start(source.name);
  const started = ctx.clock.now();
  // Before anything is appended, the store's checkpoints as they stand go to the witnesses:
  // a store restored from an older copy shows here, before collecting grows it back.
  for (const source of sources) startup.push(...(await publication.publish(source.name)));
  const { maxWaitSeconds, maxFutureSeconds } = runtime.config.collect;
  const { snapshotIntervalMinutes, logLagSeconds } = runtime.config.posture;
  const schedule =
    snapshotIntervalMinutes === 0
      ? undefined
      : new PostureSchedule(
          new PostureService({
            custody,
            clock: ctx.clock,
            alert: (d) => detection.raise(d, d.source ?? ''),
          }),
          runtime.configReaders(),
          {
            clock: ctx.clock,
            intervalMs: snapshotIntervalMinutes * 60_000,
            logLagMs: logLagSeconds * 1000,
          },
        );
  const canarySchedule = openCanarySchedule(ctx, runtime, (d) => detection.raise(d, d.source ?? ''));
  const collectOne = async (source: LogSource, round: number): Promise<RoundResult> => {
    // Pages are prepared on this thread: a provider's rate limit bounds a collector (Okta serves about
    // two pages a second), not preparing them, and a preparation thread costs a heap of its own.
    const collector = new LogCollector({
      source,
      store: custody,
      clock: ctx.clock,
      random: createRandom(`${source.name}:${started}:${round}`),
      signal: ctx.signal,
      ...(sinceMs === undefined ? {} : { sinceMs }),
      onProgress: (p) => status.update(progressText(ctx, p, started)),
      onStored: (events, firstLeaf) => detection.feed.stored(source.name, events, firstLeaf),
      maxWaitMs: maxWaitSeconds * 1000,
      maxFutureMs: maxFutureSeconds * 1000,
      onRewritten: async (found) => {
        for (const f of found) {
          ctx.stderr.write(
            `\nvigil collect: ERROR: source ${f.source} re-served event ${f.providerId} with different content ` +
              `(stored sha256 ${f.storedSha256}, new ${f.newSha256}); both kept [CUSTODY_REWRITTEN_EVENT]\n`,
          );
          await detection.raise(rewrittenEventDetection(f, ctx.clock.now()), source.name);
        }
      },
    });
    try {
      return await collector.collectUntilCaughtUp();
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      // One failing source does not stop the others (issue 3 "Bad input").
      const e = error instanceof VigilError ? error : new VigilError('CUSTODY_PROVIDER_ERROR', String(error));
      status.clear();
      ctx.stderr.write(`vigil collect: ${safeText(e.message, { multiline: true })} [${e.code}]\n`);
      ctx.exitCode = 1;
      return { ...collector.progress, error: { code: e.code, message: e.message } };
    }
  };
  // Each source runs its own loop (issue 19): one that stalls, on a long rate-limit wait or a
  // slow provider, never delays another source's next poll. Their after-round work is per
  // source; the outbox is sent by one loop at a time.
  let delivering: Promise<void> = Promise.resolve();
  const deliverDue = () => (delivering = delivering.then(() => detection.delivery.deliverDue()));
  const others = (name: string) => new Set(sources.map((s) => s.name).filter((n) => n !== name));
  const followSource = async (source: LogSource) => {
    for (let round = 0; ; round++) {
      let r: RoundResult;
      try {
        r = await collectOne(source, round);
      } catch (error) {
        // Stopped mid-request (SIGTERM from a service manager): what is committed is whole.
        if (ctx.signal.aborted) return;
        throw error;
      }
      status.end();
      run.set(r.source, addRound(run.get(r.source), r));
      // Following: a timestamped line per source and round (a service's log).
      if (options.roundLines) ctx.stdout.write(roundLine(ctx.clock.now(), r, run.get(r.source)!));
      // Only this source's posture and canaries; none when its log could not be collected
      // this round (its provider is in trouble).
      const skip = others(source.name);
      if (r.error) skip.add(source.name);
      // The configuration: the last snapshot reviewed once the log covers it, a new one when due.
      // Stopped (SIGTERM from a service manager) mid-snapshot: a clean stop, not an error.
      const snapshots = await schedule?.afterRound(ctx.signal, skip).catch((error: unknown) => {
        if (ctx.signal.aborted) return [];
        throw error;
      });
      posture.set(source.name, snapshots ?? []);
      for (const p of snapshots ?? []) {
        if (p.error) ctx.stderr.write(`vigil collect: posture snapshot of ${p.source} failed: ${p.error}\n`);
        if (p.shadowChanges > 0)
          ctx.stderr.write(
            `vigil collect: ${p.source}: ${p.shadowChanges} SHADOW CHANGE(S): configuration changed with no System Log event (vigil posture check)\n`,
          );
      }
      // Canaries: due log checks, foreign use, and the probes when due (docs/canaries.md).
      const probed = (await canarySchedule?.afterRound(ctx.signal, skip)) ?? [];
      canaries.set(source.name, probed);
      for (const c of probed) {
        if (c.error)
          ctx.stderr.write(`vigil collect: canaries of ${c.source} failed: ${safeText(c.error)}\n`);
        const failedProbes = c.probes.filter((p) => p.status !== 'pass').length;
        if (failedProbes > 0)
          ctx.stderr.write(
            `vigil collect: ${c.source}: ${failedProbes} CANARY PROBE(S) FAILED (vigil canary run)\n`,
          );
        if (c.logMissing > 0)
          ctx.stderr.write(
            `vigil collect: ${c.source}: ${c.logMissing} canary probe(s) MISSING FROM THE PROVIDER'S LOG\n`,
          );
        if (c.foreign > 0)
          ctx.stderr.write(
            `vigil collect: ${c.source}: ${c.foreign} sign-in(s) to a canary that Vigil did not make\n`,
          );
      }
      // Committed checkpoints leave the host: to the witnesses and the sinks (issue 14).
      checkpoints.set(source.name, await publication.publish(source.name));
      // The alert outbox: what this round raised, and retries of earlier failures now due.
      await deliverDue();
      options.onRound?.(r, {
        alertsRaised: detection.raised(),
        delivered: detection.delivery.totals.delivered,
        failedDeliveries: detection.delivery.totals.failed,
      });
      if (options.once || ctx.signal.aborted) return;
      await ctx.clock.sleep(interval * 1000, ctx.signal).catch(() => undefined);
      if (ctx.signal.aborted) return;
    }
  };
  await Promise.all(sources.map(followSource));
  const alerts = await detection.summary();
  return {
    results: order.flatMap((name) => run.get(name) ?? []),
    alerts,
    startup,
    checkpoints: [...checkpoints.values()].flat(),
    posture: [...posture.values()].flat(),
    canaries: [...canaries.values()].flat(),
  };
}

/** The canary schedule of a collecting run, or none (no canaries, or `canaries.intervalMinutes: 0`). */
function openCanarySchedule(
  ctx: CliContext,
  runtime: Runtime,
  alert: (d: Detection) => Promise<unknown>,
): CanarySchedule | undefined {
  const { intervalMinutes, logLagSeconds, users } = runtime.config.canaries;
  if (intervalMinutes === 0 || users.length === 0) return undefined;
  try {
    return new CanarySchedule(
      new CanaryService({ custody: runtime.custody(), clock: ctx.clock, alert }),
      canaryTargets(runtime),
      { clock: ctx.clock, intervalMs: intervalMinutes * 60_000, logLagMs: logLagSeconds * 1000 },
    );
  } catch (error) {
    // A canary whose secret is missing stops the probes, never the collection.
    if (!(error instanceof VigilError)) throw error;
    ctx.stderr.write(`vigil collect: canaries off: ${safeText(error.message)} [${error.code}]\n`);
    ctx.exitCode = 1;
    return undefined;
  }
}

function progressText(ctx: CliContext, p: CollectProgress, started: number): string {
  const seconds = Math.max(0.001, (ctx.clock.now() - started) / 1000);
  return (
    `${p.source}: ${p.stored} events (${Math.round(p.stored / seconds)}/s), up to ${p.newestPublished ?? '-'}, ` +
    `${p.waits} waits (${Math.round(p.waitedMs / 1000)} s), ${p.retries} retries, ${p.quarantined} quarantined`
  );
}

/** A source's run so far plus one round: every count summed, the newest time and the last error kept. */
function addRound(run: RoundResult | undefined, round: RoundResult): RoundResult {
  if (!run) return { ...round };
  const sum: Record<string, unknown> = { ...round };
  for (const [key, value] of Object.entries(run))
    if (typeof value === 'number' && typeof sum[key] === 'number') sum[key] = value + (sum[key] as number);
  sum['newestPublished'] = round.newestPublished ?? run.newestPublished;
  return sum as unknown as RoundResult;
}

/** Follow mode's line per source and round: when, what this round added, the run's total. */
function roundLine(nowMs: number, round: RoundResult, run: RoundResult): string {
  return (
    `${isoTime(nowMs)} ${round.source}: ${round.stored} new events, ${round.duplicates} duplicates, ${round.pages} pages` +
    ` (run: ${run.stored} events), newest ${round.newestPublished ?? run.newestPublished ?? '-'}` +
    `${round.error ? `, FAILED: ${round.error.code}` : ''}\n`
  );
}
