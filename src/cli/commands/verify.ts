import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { parseVerifierKey } from '../../ledger/note-key.js';
import { ledgerOrigin } from '../../ledger/ledger-log.js';
import { verifyAlertHistory } from '../../runtime/alert-history-verification.js';
import { witnessAt, witnessFindings } from '../../runtime/witness-verification.js';
import { verifyCustody } from '../../verify/custody-verifier.js';
import {
  advanceRollbackMemory,
  MEMORY_FILE,
  readRollbackMemory,
  rememberedCheckpoints,
  writeRollbackMemory,
} from '../../verify/rollback-memory.js';
import type { VerificationReport } from '../../verify/verification-report.js';
import type { Runtime } from '../../runtime/runtime.js';
import { readRegularTextFile } from '../regular-file.js';
import { safeText } from '../safe-text.js';
import { StatusLine } from '../status-line.js';
import { terminalOf } from '../terminal.js';
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
    .option(
      '--witness <url>',
      'also ask this configured witness whether it has cosigned more of each log than the store holds (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option(
      '--checkpoint <file>',
      'a signed checkpoint kept elsewhere (vigil ledger checkpoint > FILE): the store must extend it (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option(
      '--memory <file>',
      `the rollback memory: the largest checkpoint verified per log (else $VIGIL_VERIFY_MEMORY, verify.memoryFile in vigil.yaml, or ${MEMORY_FILE} in the data directory)`,
    )
    .option(
      '--no-remember',
      'check against the rollback memory but do not advance it (verify then writes nothing)',
    )
    .option('--deep', 'also re-canonicalize every event and check its canonical digest (slower)')
    .option('--json', 'print the report as JSON')
    .action(async (flags: VerifyFlags, cmd: Command) => {
      const given = flags.vkey.map(parseVerifierKey);
      // Large SQLite ledgers are checked on every core (worker threads, read-only connections).
      const verifyWorkers = Math.min(4, availableParallelism());
      await withCommandRuntime(cmd, ctx, { access: 'read', verifyWorkers }, async (runtime) => {
        const shown = new Map<string, number>();
        // Progress only on a terminal (status-line.ts): a log or a pipe gets the report alone.
        const status = new StatusLine(ctx.stderr, terminalOf(ctx.stderr, ctx.env));
        // Every --witness must be configured (its key checks its answers): refused before the long checks.
        const askWitnesses = flags.witness.map((url) => witnessAt(runtime, url));
        // Trust comes from --vkey or the data directory's key files, read only: never a new key.
        const verifierFor = runtime.verifierKeys(given);
        const memoryFile = rollbackMemoryFile(flags.memory, runtime, ctx);
        const memory = readRollbackMemory(memoryFile);
        const custodyReport = await verifyCustody(runtime.custodyReader(), {
          verifierFor,
          deep: flags.deep === true,
          // Each configured source's events are re-derived with its provider's page format.
          sources: runtime.config.sources.map((s) => ({ name: s.name, format: s.type })),
          external: [
            ...flags.checkpoint.map((file) => ({ note: readRegularTextFile(file, 64 * 1024), from: file })),
            ...rememberedCheckpoints(memory, memoryFile),
          ],
          onProgress: (source, n) => {
            // One line per 50,000 leaves, rewritten in place.
            const step = Math.floor(n / 50_000);
            if (flags.json || step === shown.get(source)) return;
            shown.set(source, step);
            status.update(`verifying ${source}: ${n} leaves`);
          },
        });
        status.clear();
        // Checkpoints that left the host: cosignatures in the store, and what witnesses say now.
        const witnessed = await witnessFindings(
          runtime,
          (log) => verifierFor(log)?.name ?? ledgerOrigin(log),
          askWitnesses,
        );
        // Alerts: each status must be what its recorded transitions lead to.
        const alertFindings = await verifyAlertHistory(runtime);
        const report = {
          ...custodyReport,
          ok: custodyReport.ok && witnessed.findings.length === 0 && alertFindings.length === 0,
          findings: [...custodyReport.findings, ...witnessed.findings, ...alertFindings],
          cosignaturesChecked: witnessed.cosignaturesChecked,
        };
        if (!flags.json && witnessed.cosignaturesChecked > 0)
          ctx.stdout.write(`witnesses: ${witnessed.cosignaturesChecked} stored cosignatures checked\n`);
        // Findings quote stored provider values (event ids): no escape reaches the terminal.
        ctx.stdout.write(
          flags.json
            ? JSON.stringify(report, null, 2) + '\n'
            : safeText(formatReport(report), { multiline: true }),
        );
        if (!report.ok) ctx.exitCode = 1;
        const advanced = flags.remember ? advanceRollbackMemory(memory, report, ctx.clock.now()) : undefined;
        if (advanced) {
          // The one write verify makes; where it cannot (a read-only place), it still verified.
          try {
            writeRollbackMemory(memoryFile, advanced);
          } catch (error) {
            ctx.stderr.write(
              `verify: could not update the rollback memory ${memoryFile} (${(error as NodeJS.ErrnoException).code ?? String(error)}); a rollback below this run's checkpoints will not be caught by it\n`,
            );
          }
        }
      });
    });
};

interface VerifyFlags {
  vkey: string[];
  witness: string[];
  checkpoint: string[];
  memory?: string;
  remember: boolean;
  deep?: boolean;
  json?: boolean;
}

/** --memory, else $VIGIL_VERIFY_MEMORY (both from the working directory), else vigil.yaml's, else the data directory's. */
function rollbackMemoryFile(flag: string | undefined, runtime: Runtime, ctx: CliContext): string {
  const given = flag ?? ctx.env['VIGIL_VERIFY_MEMORY'];
  if (given) return path.resolve(ctx.cwd, given);
  return path.resolve(runtime.dataDir, runtime.config.verify.memoryFile ?? MEMORY_FILE);
}

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
