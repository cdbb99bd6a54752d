import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { isIP } from 'node:net';
import path from 'node:path';
import type { Command } from 'commander';
import { isoTime } from '../../core/clock.js';
import { VigilError } from '../../core/vigil-error.js';
import { buildConsoleApp, consoleLogger } from '../../server/app.js';
import { CollectionHealth } from '../../server/collection-health.js';
import { ConsoleMetrics } from '../../server/metrics.js';
import { wholeNumberFlag } from '../flag-parsers.js';
import { safeText } from '../safe-text.js';
import { withCommandRuntime, type CliContext, type CommandRegistrar } from '../cli-context.js';
import { collectingRuntimeOptions } from '../collecting-runtime.js';
import { collectSources } from './collect.js';

interface ServeFlags {
  port: string;
  host: string;
  tlsCert?: string;
  tlsKey?: string;
  insecureHttp?: boolean;
  collect?: boolean;
  origin?: string;
  stallAfter: string;
}

/** Loopback: the console is reachable from this host only, so plain HTTP exposes nothing on the wire. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** A free loopback port for `--port 0` (the console's origin, which passkeys bind to, needs it up front). */
async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function readTls(flag: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new VigilError('SERVE_TLS_UNREADABLE', `--${flag} ${file}: ${(error as Error).message}`, {
      category: 'input',
      details: { flag, file },
    });
  }
}

/**
 * `vigil serve`: the console (pages and `/api/v1`) over the data directory's store; with `--collect`,
 * collection runs in the same process and runtime. A failing request never stops collection;
 * SIGTERM (or SIGINT) stops both: the server stops accepting and finishes its requests, collection
 * stops at a clean point, then the runtime closes.
 */
export const registerServeCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  program
    .command('serve')
    .description('the web console and its HTTP API (local sign-in, roles, personal data as tokens)')
    .option('--port <n>', 'port to listen on (0: any free port)', '8443')
    .option('--host <address>', 'address to bind (loopback by default)', '127.0.0.1')
    .option('--tls-cert <file>', 'TLS certificate (PEM); with --tls-key, serve HTTPS')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option('--insecure-http', 'allow plain HTTP on an address beyond loopback (behind a TLS proxy)')
    .option('--origin <url>', 'the URL browsers use to reach the console (default: from host and port)')
    .option('--collect', 'also collect every configured source in this process')
    .option(
      '--stall-after <seconds>',
      'with --collect: /readyz fails when a source has not finished a round for this long',
      '900',
    )
    .action(async (flags: ServeFlags, cmd: Command) => {
      const requestedPort = wholeNumberFlag('port', flags.port)!;
      const stallAfter = wholeNumberFlag('stall-after', flags.stallAfter)!;
      if (requestedPort > 65535)
        throw new VigilError('CLI_BAD_NUMBER', '--port must be from 0 to 65535', { category: 'input' });
      if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined))
        throw new VigilError('SERVE_NOT_PROTECTED', 'give both --tls-cert and --tls-key, or neither', {
          category: 'input',
        });
      const tls =
        flags.tlsCert !== undefined && flags.tlsKey !== undefined
          ? {
              cert: readTls('tls-cert', path.resolve(ctx.cwd, flags.tlsCert)),
              key: readTls('tls-key', path.resolve(ctx.cwd, flags.tlsKey)),
            }
          : undefined;
      // Issue 18: beyond loopback only over TLS, or when the operator says a proxy terminates it.
      if (!isLoopback(flags.host) && !tls && !flags.insecureHttp)
        throw new VigilError(
          'SERVE_NOT_PROTECTED',
          `--host ${flags.host} is beyond loopback: give --tls-cert and --tls-key, or --insecure-http behind a TLS proxy`,
          { category: 'input', details: { host: flags.host } },
        );
      const port = requestedPort === 0 ? await freePort(flags.host) : requestedPort;
      const urlHost = isIP(flags.host) === 6 ? `[${flags.host}]` : flags.host;
      const origin = flags.origin ?? `${tls ? 'https' : 'http'}://${urlHost}:${port}`;
      const collecting = flags.collect === true;

      await withCommandRuntime(
        cmd,
        ctx,
        collecting ? collectingRuntimeOptions(cmd, ctx) : { access: 'write' },
        async (runtime) => {
          const metrics = new ConsoleMetrics(() => ctx.clock.now());
          const health = new CollectionHealth(collecting, stallAfter * 1000, ctx.clock.now());
          const app = await buildConsoleApp({
            runtime,
            origin,
            // Behind a TLS proxy (--insecure-http with an https origin) browsers still speak TLS.
            secure: tls !== undefined || origin.startsWith('https:'),
            log: consoleLogger(ctx.stderr),
            health,
            metrics,
            ...(tls ? { https: tls } : {}),
          });
          await app.listen({ port, host: flags.host });
          ctx.stdout.write(`vigil serve: listening on ${origin}${collecting ? ', collecting' : ''}\n`);

          let raisedBefore = 0;
          let deliveredBefore = 0;
          let failedBefore = 0;
          const collection = collecting
            ? collectSources(ctx, runtime, {
                once: false,
                roundLines: true,
                onRound: (round, totals) => {
                  health.roundFinished(round.source, ctx.clock.now());
                  metrics.collectionRounds.inc({
                    source: round.source,
                    result: round.error ? 'failed' : 'ok',
                  });
                  metrics.eventsCollected.inc({ source: round.source }, round.stored);
                  metrics.rateLimitWaits.inc({ source: round.source }, round.waits);
                  metrics.rateLimitWaitSeconds.inc({ source: round.source }, round.waitedMs / 1000);
                  if (round.stored > 0) metrics.checkpointsSigned.inc({ log: round.source });
                  metrics.alertsRaised.inc(totals.alertsRaised - raisedBefore);
                  metrics.alertsDelivered.inc(totals.delivered - deliveredBefore);
                  metrics.deliveryFailures.inc(totals.failedDeliveries - failedBefore);
                  raisedBefore = totals.alertsRaised;
                  deliveredBefore = totals.delivered;
                  failedBefore = totals.failedDeliveries;
                },
              }).catch((error: unknown) => {
                // Collection failed as a whole: the console keeps serving what is stored, /readyz says so.
                const e = error instanceof VigilError ? error : undefined;
                health.failed(e ? `${e.message} [${e.code}]` : String(error));
                ctx.stderr.write(
                  `vigil serve: ${isoTime(ctx.clock.now())} collection stopped: ${safeText(e ? `${e.message} [${e.code}]` : String(error))}\n`,
                );
                ctx.exitCode = 1;
              })
            : Promise.resolve();

          await new Promise<void>((resolve) => {
            if (ctx.signal.aborted) resolve();
            else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
          });
          // Stop taking requests (those under way finish), then let collection reach its clean stop.
          await app.close();
          await collection;
          ctx.stdout.write('vigil serve: stopped\n');
        },
      );
    });
};
