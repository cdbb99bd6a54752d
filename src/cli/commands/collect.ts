import type { Command } from 'commander';
import { deliveryNoticeLine, formatAlertRunSummary, hasUndelivered } from '../../alerts/alert-run-summary.js';
import { isoTime } from '../../core/clock.js';
import { createRandom } from '../../core/seeded-random.js';
import { VigilError } from '../../core/vigil-error.js';
import { LogCollector, type CollectProgress } from '../../custody/log-collector.js';
import { rewrittenEventDetection } from '../../custody/rewritten-event-detection.js';
import type { LogSource } from '../../sources/log-source.js';
import { MAX_POLL_INTERVAL_SECONDS } from '../../config/vigil-config.js';
import { isoTimeFlag, wholeNumberFlag } from '../flag-parsers.js';
import { safeText } from '../safe-text.js';
import type { PublicationReport } from '../../runtime/checkpoint-publication.js';
import { reportPublications } from './witness.js';
import { withCommandRuntime, type CliContext, type CommandRegistrar } from '../cli-context.js';

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
      const results: (CollectProgress & { error?: { code: string; message: string } })[] = [];
      // Checkpoints the store held at start, then the last round's (runtime/checkpoint-publication.ts).
      const startup: PublicationReport[] = [];
      const checkpoints: PublicationReport[] = [];
      // A collecting runtime has checked sources, tokens and sink secrets before opening anything.
      const alerts = await withCommandRuntime(
        cmd,
        ctx,
        { access: 'write', bulk: true, collect: true },
        async (runtime) => {
          const interval = intervalFlag ?? runtime.config.collect.pollIntervalSeconds;
          const sources = runtime.logSources();
          const detection = await runtime.detection(undefined, (notice) => {
            const line = deliveryNoticeLine(notice, isoTime);
            if (line) ctx.stderr.write(`\nvigil collect: ${line}\n`);
          });
          const custody = runtime.custody();
          const publication = runtime.checkpointPublication();
          // Rebuild detector state from recent history and detect anything a crash left undetected.
          for (const source of sources) await detection.feed.start(source.name);
          const preparer = runtime.preparer();
          const started = ctx.clock.now();
          // Before anything is appended, the store's checkpoints as they stand go to the witnesses:
          // a store restored from an older copy shows here, before collecting grows it back.
          for (const source of sources) startup.push(...(await publication.publish(source.name)));
          const { maxWaitSeconds, maxFutureSeconds } = runtime.config.collect;
          for (let round = 0; ; round++) {
            results.length = 0;
            // Sources are collected side by side: one that stalls never delays another (issue 19).
            const collectOne = async (source: LogSource) => {
              const collector = new LogCollector({
                source,
                store: custody,
                clock: ctx.clock,
                random: createRandom(`${source.name}:${started}:${round}`),
                signal: ctx.signal,
                preparer,
                ...(sinceMs === undefined ? {} : { sinceMs }),
                onProgress: (p) => reportProgress(ctx, p, started),
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
                const e =
                  error instanceof VigilError
                    ? error
                    : new VigilError('CUSTODY_PROVIDER_ERROR', String(error));
                ctx.stderr.write(`\nvigil collect: ${safeText(e.message, { multiline: true })} [${e.code}]\n`);
                ctx.exitCode = 1;
                return { ...collector.progress, error: { code: e.code, message: e.message } };
              }
            };
            results.push(...(await Promise.all(sources.map(collectOne))));
            ctx.stderr.write('\n');
            // Committed checkpoints leave the host: to the witnesses and the sinks (issue 14).
            checkpoints.length = 0;
            for (const source of sources) checkpoints.push(...(await publication.publish(source.name)));
            // The alert outbox: what this round raised, and retries of earlier failures now due.
            await detection.delivery.deliverDue();
            if (flags.once || ctx.signal.aborted) break;
            await ctx.clock.sleep(interval * 1000, ctx.signal).catch(() => undefined);
            if (ctx.signal.aborted) break;
          }
          return detection.summary();
        },
      );
      const published = [...startup, ...checkpoints];
      const checkpointSummary = reportPublications(ctx, published);
      // Issue 14: an alert that has not reached every sink it should is a failed run.
      if (flags.once && hasUndelivered(alerts)) ctx.exitCode = 1;
      if (flags.json)
        ctx.stdout.write(
          JSON.stringify(
            { sources: results, alertsRaised: alerts.raised, alerts, checkpoints: published },
            null,
            2,
          ) + '\n',
        );
      else {
        for (const r of results)
          ctx.stdout.write(
            `${r.source}: ${r.stored} new events, ${r.duplicates} duplicates skipped, ${r.recovered} recovered by overlap, ${r.pages} pages${r.rewritten > 0 ? `, ${r.rewritten} REWRITTEN by the provider` : ''}${r.future > 0 ? `, ${r.future} published in the future` : ''}${r.error ? `, FAILED: ${r.error.code}` : ''}\n`,
          );
        ctx.stdout.write(formatAlertRunSummary(alerts));
        ctx.stdout.write(checkpointSummary);
      }
    });
};

function reportProgress(ctx: CliContext, p: CollectProgress, started: number): void {
  const seconds = Math.max(0.001, (ctx.clock.now() - started) / 1000);
  ctx.stderr.write(
    `\r${p.source}: ${p.stored} events (${Math.round(p.stored / seconds)}/s), up to ${p.newestPublished ?? '-'}, ` +
      `${p.waits} rate-limit/backoff waits (${Math.round(p.waitedMs / 1000)} s), ${p.retries} retries, ${p.quarantined} quarantined   `,
  );
}
