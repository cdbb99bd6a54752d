import path from 'node:path';
import type { Command } from 'commander';
import { VigilError } from '../../core/vigil-error.js';
import { exportShared } from '../../response/report/shared-export.js';
import { packageVersion } from '../package-version.js';
import { withCommandRuntime, type CliContext } from '../cli-context.js';

/** Who is acting, for the audit log: `cli:<os user>`. */
export const cliActor = (ctx: CliContext) => `cli:${ctx.env['USER'] ?? ctx.env['LOGNAME'] ?? 'unknown'}`;

/** `vigil incident export ID --share --out DIR`: the timeline and evidence, tokenised, for an auditor or the provider. */
export function registerIncidentExport(incident: Command, ctx: CliContext): void {
  incident
    .command('export <id>')
    .description(
      'a shareable export: timeline and report with personal data as tokens, proofs of every cited event; the token map stays in the data directory',
    )
    .option('--share', 'tokenise personal data (required: the only form of export)')
    .requiredOption('--out <dir>', 'a new or empty folder')
    .option('--json', 'print what was written as JSON')
    .action(async (id: string, flags: { share?: boolean; out: string; json?: boolean }, cmd: Command) => {
      if (!flags.share)
        throw new VigilError(
          'REPORT_BAD_REQUEST',
          'incident export needs --share: an export carries tokens, never personal data',
          {
            category: 'input',
          },
        );
      const out = path.resolve(ctx.cwd, flags.out);
      const result = await withCommandRuntime(cmd, ctx, { access: 'write' }, (runtime) =>
        exportShared(runtime, {
          incidentId: id,
          out,
          actor: cliActor(ctx),
          tool: `vigil ${packageVersion()}`,
        }),
      );
      if (flags.json) {
        ctx.stdout.write(JSON.stringify(result, null, 2) + '\n');
        return;
      }
      ctx.stdout.write(
        `exported ${result.events} cited events (tokenised) with proofs to ${result.out}\n` +
          `token map (${result.tokens} tokens, keep it private): ${result.tokenMap}\n` +
          `check it: vigil verify-bundle --vkey '<ledger key>' ${path.join(result.out, 'evidence')}\n`,
      );
    });
}
