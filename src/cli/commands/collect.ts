import type { Command } from 'commander';
import { createRandom } from '../../core/seeded-random.js';
import { VigilError } from '../../core/vigil-error.js';
import { loadConfig, resolveToken } from '../../config/vigil-config.js';
import { OktaCollector, type CollectProgress } from '../../custody/okta-collector.js';
import { openCustody } from '../../custody/open-custody.js';
import { createPagePreparer } from '../../custody/page-preparer.js';
import type { Kysely } from 'kysely';
import { createAlertIntake } from '../../alerts/create-alert-intake.js';
import type { AlertDatabase } from '../../alerts/alert-tables.js';
import { DetectionFeed } from '../../detect/pipeline/detection-feed.js';
import { DetectionPipeline } from '../../detect/pipeline/detection-pipeline.js';
import { isoTimeFlag } from '../flag-parsers.js';
import { dataDirOf, type CliContext, type CommandRegistrar } from '../cli-context.js';

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
      const dataDir = dataDirOf(cmd, ctx);
      const config = loadConfig(dataDir);
      if (config.sources.length === 0) {
        throw new VigilError(
          'CUSTODY_NO_SOURCES',
          `no sources in ${dataDir}/vigil.yaml; add one with 'vigil source add okta ...'`,
          { category: 'input' },
        );
      }
      const sinceMs = isoTimeFlag('since', flags.since);
      const interval =
        flags.pollInterval === undefined ? config.collect.pollIntervalSeconds : Number(flags.pollInterval);
      if (!Number.isInteger(interval) || interval < 1) {
        throw new VigilError('CLI_BAD_NUMBER', `--poll-interval must be a whole number of seconds >= 1`, {
          category: 'input',
        });
      }
      const custody = await openCustody(dataDir, ctx.clock, undefined, { backgroundCheckpoints: true });
      // Detection runs on every newly stored event (issue 5); new alerts go to the configured sinks.
      const pipeline = await DetectionPipeline.create();
      const { intake } = createAlertIntake(config.alerts, custody.db as unknown as Kysely<AlertDatabase>, {
        env: ctx.env,
        baseDir: dataDir,
        clock: ctx.clock,
        random: createRandom(`alerts:${ctx.clock.now()}`),
      });
      let alertsRaised = 0;
      const feed = new DetectionFeed({
        db: custody.db,
        pipeline,
        clock: ctx.clock,
        onDetection: async (d, source) => {
          if ((await intake.ingest({ ...d, source })).isNew) alertsRaised++;
        },
      });
      // Rebuild detector state from recent history and detect anything a crash left undetected.
      for (const source of config.sources) await feed.start(source.name);
      // Pages are parsed and hashed on worker threads while the store writes (page-preparer.ts).
      const preparer = createPagePreparer();
      const started = ctx.clock.now();
      const results: (CollectProgress & { error?: { code: string; message: string } })[] = [];
      try {
        for (let round = 0; ; round++) {
          results.length = 0;
          for (const source of config.sources) {
            const collector = new OktaCollector({
              source,
              token: resolveToken(source, ctx.env),
              store: custody.store,
              clock: ctx.clock,
              random: createRandom(`${source.name}:${started}:${round}`),
              rateShare: config.collect.rateShare,
              requestTimeoutMs: config.collect.requestTimeoutMs,
              pageLimit: config.collect.pageLimit,
              signal: ctx.signal,
              preparer,
              ...(sinceMs === undefined ? {} : { sinceMs }),
              onProgress: (p) => reportProgress(ctx, p, started),
              onStored: (events, firstLeaf) => feed.stored(source.name, events, firstLeaf),
            });
            try {
              results.push(await collector.collectUntilCaughtUp());
            } catch (error) {
              if (ctx.signal.aborted) throw error;
              // One failing source does not stop the others (issue 3 "Bad input").
              const e =
                error instanceof VigilError ? error : new VigilError('CUSTODY_PROVIDER_ERROR', String(error));
              ctx.stderr.write(`\nvigil collect: ${e.message} [${e.code}]\n`);
              results.push({ ...collector.progress, error: { code: e.code, message: e.message } });
              ctx.exitCode = 1;
            }
          }
          ctx.stderr.write('\n');
          if (flags.once || ctx.signal.aborted) break;
          await ctx.clock.sleep(interval * 1000, ctx.signal).catch(() => undefined);
          if (ctx.signal.aborted) break;
        }
      } finally {
        await preparer.close();
        await custody.close();
      }
      if (flags.json) ctx.stdout.write(JSON.stringify({ sources: results, alertsRaised }, null, 2) + '\n');
      else
        for (const r of results)
          ctx.stdout.write(
            `${r.source}: ${r.stored} new events, ${r.duplicates} duplicates skipped, ${r.recovered} recovered by overlap, ${r.pages} pages${r.error ? `, FAILED: ${r.error.code}` : ''}\n`,
          );
    });
};

function reportProgress(ctx: CliContext, p: CollectProgress, started: number): void {
  const seconds = Math.max(0.001, (ctx.clock.now() - started) / 1000);
  ctx.stderr.write(
    `\r${p.source}: ${p.stored} events (${Math.round(p.stored / seconds)}/s), up to ${p.newestPublished ?? '-'}, ` +
      `${p.waits} rate-limit/backoff waits (${Math.round(p.waitedMs / 1000)} s), ${p.retries} retries, ${p.quarantined} quarantined   `,
  );
}
