import type { Command } from 'commander';
import { testAlertSinks } from '../../runtime/alert-delivery.js';
import { dataDirOf, type CliContext } from '../cli-context.js';
import { safeText } from '../safe-text.js';

/**
 * `vigil alerts test [--sink NAME]`: a sample alert to each configured sink now, one result per sink;
 * exit 1 when any sink failed. Reads vigil.yaml only: no store is opened or created.
 */
export function registerAlertTest(alerts: Command, ctx: CliContext): void {
  alerts
    .command('test')
    .description('send a sample alert to each configured sink (or one) and report the result')
    .option('--sink <name>', 'only the sink with this name')
    .option('--json', 'print the results as JSON')
    .action(async (flags: { sink?: string; json?: boolean }, command: Command) => {
      const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
      const results = await testAlertSinks(
        { env: ctx.env, dataDir: dataDirOf(command, ctx), clock: ctx.clock },
        flags.sink,
      );
      if (results.some((r) => !r.ok)) ctx.exitCode = 1;
      if (json) {
        ctx.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        return;
      }
      for (const r of results)
        ctx.stdout.write(
          safeText(
            r.ok
              ? `${r.sink}: delivered`
              : `${r.sink}: FAILED: ${r.message ?? 'failed'}${r.code ? ` [${r.code}]` : ''}`,
          ) + '\n',
        );
    });
}
