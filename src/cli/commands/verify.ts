import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { parseVerifierKey } from '../../ledger/note-key.js';
import { verifyCustody } from '../../verify/custody-verifier.js';
import type { VerificationReport } from '../../verify/verification-report.js';
import { withCommandRuntime, type CliContext, type CommandRegistrar } from '../cli-context.js';

/** `vigil verify`: exit 0 when the whole custody store holds, 1 with a precise report when not. */
export const registerVerifyCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  program
    .command('verify')
    .description('verify every event, leaf, node, checkpoint signature and consistency in the store')
    .option(
      '--vkey <key>',
      'trust this verifier key instead of the key file in the data directory (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--deep', 'also re-canonicalize every event and check its canonical digest (slower)')
    .option('--json', 'print the report as JSON')
    .action(async (flags: { vkey: string[]; deep?: boolean; json?: boolean }, cmd: Command) => {
      const given = flags.vkey.map(parseVerifierKey);
      // Large SQLite ledgers are checked on every core (worker threads, read-only connections).
      const verifyWorkers = Math.min(4, availableParallelism());
      await withCommandRuntime(cmd, ctx, { access: 'read', verifyWorkers }, async (runtime) => {
        const shown = new Map<string, number>();
        const report = await verifyCustody(runtime.custodyReader(), {
          // Trust comes from --vkey or the data directory's key files, read only: never a new key.
          verifierFor: runtime.verifierKeys(given),
          deep: flags.deep === true,
          onProgress: (source, n) => {
            // One line per 50,000 leaves, rewritten in place.
            const step = Math.floor(n / 50_000);
            if (flags.json || step === shown.get(source)) return;
            shown.set(source, step);
            ctx.stderr.write(`\rverifying ${source}: ${n} leaves`);
          },
        });
        if (!flags.json && shown.size > 0) ctx.stderr.write('\r' + ' '.repeat(60) + '\r');
        ctx.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
        if (!report.ok) ctx.exitCode = 1;
      });
    });
};

export function formatReport(report: VerificationReport): string {
  const lines: string[] = [];
  for (const s of report.sources) {
    lines.push(
      `${s.source}: ${s.leaves} leaves, ${s.events} events, ${s.checkpoints} checkpoints (latest size ${s.latestCheckpointSize ?? '-'}), root ${s.rootHash ?? '-'}`,
    );
  }
  for (const f of report.findings) {
    const where = [
      f.leafIndex === undefined ? '' : `leaf ${f.leafIndex}`,
      f.eventId ? `event ${f.eventId}` : '',
      f.checkpointId === undefined ? '' : `checkpoint #${f.checkpointId}`,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`FAIL ${f.code} [${f.source}${where ? `, ${where}` : ''}] ${f.message}`);
  }
  if (report.truncated > 0) lines.push(`... and ${report.truncated} more findings`);
  lines.push(
    report.ok
      ? 'verify: OK — every event, leaf, node, checkpoint and signature holds'
      : `verify: FAILED — ${report.findings.length + report.truncated} finding(s)`,
  );
  return lines.join('\n') + '\n';
}
