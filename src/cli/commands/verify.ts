import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { openCustody } from '../../custody/open-custody.js';
import { sqlCustodyReader } from '../../custody/sql-custody-reader.js';
import { STORE_FILE } from '../../store/sqlite/open-sqlite.js';
import { parallelLeafRangesAvailable } from '../../store/sqlite/parallel-leaf-ranges.js';
import { parseVerifierKey, formatVerifierKey, type NoteVerifier } from '../../ledger/note-key.js';
import { ledgerOrigin } from '../../keys/signing-key-file.js';
import { verifyCustody } from '../../verify/custody-verifier.js';
import type { VerificationReport } from '../../verify/verification-report.js';
import { dataDirOf, type CliContext, type CommandRegistrar } from '../cli-context.js';

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
      const dataDir = dataDirOf(cmd, ctx);
      const custody = await openCustody(dataDir, ctx.clock);
      try {
        const given = flags.vkey.map(parseVerifierKey);
        const verifierFor = (source: string): NoteVerifier | undefined => {
          const origin = ledgerOrigin(source);
          if (given.length > 0) return given.find((v) => v.name === origin);
          return parseVerifierKey(formatVerifierKey(custody.signerFor(source)));
        };
        // Large SQLite ledgers are checked on every core (worker threads, read-only connections);
        // from the TypeScript sources, where the compiled worker is missing, on this thread.
        const parallel = {
          dbFile: path.join(dataDir, STORE_FILE),
          workers: parallelLeafRangesAvailable() ? Math.min(4, availableParallelism()) : 0,
        };
        const reader = sqlCustodyReader(custody.db, custody.store, { parallel });
        const shown = new Map<string, number>();
        const report = await verifyCustody(reader, {
          verifierFor,
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
      } finally {
        await custody.close();
      }
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
