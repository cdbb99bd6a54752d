import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { VigilError } from '../../core/vigil-error.js';
import { exportEvidence } from '../../custody/evidence-export.js';
import type { InclusionProofJson } from '../../ledger/proof-json.js';
import { checkEvidenceBundle } from '../../verify/evidence-bundle.js';
import { isoTimeFlag } from '../flag-parsers.js';
import { withCommandRuntime, type CliContext, type CommandRegistrar } from '../cli-context.js';

/** `vigil export` writes an evidence bundle; `vigil verify-bundle` checks one with no store. */
export const registerExportCommands: CommandRegistrar = (program: Command, ctx: CliContext) => {
  program
    .command('export')
    .description('write an evidence bundle (events, leaves, inclusion proofs, checkpoint, key, README)')
    .option('--source <name>', 'the source', 'okta')
    .option('--from <iso>', 'events published at or after')
    .option('--to <iso>', 'events published before')
    .requiredOption('--out <dir>', 'the bundle folder (created; must be empty)')
    .action(async (flags: { source: string; from?: string; to?: string; out: string }, cmd: Command) => {
      const out = path.resolve(ctx.cwd, flags.out);
      if (existsSync(out) && readdirSync(out).length > 0)
        throw new VigilError('CLI_OUT_NOT_EMPTY', `${out} is not empty`, { category: 'input' });
      const from = isoTimeFlag('from', flags.from);
      const to = isoTimeFlag('to', flags.to);
      const result = await withCommandRuntime(cmd, ctx, { access: 'read' }, async (runtime) => {
        const verifier = runtime.verifierKeys()(flags.source)!;
        return exportEvidence(runtime.store.db, runtime.custody().hashReader(flags.source), verifier, {
          log: flags.source,
          out,
          ...(from === undefined ? {} : { fromMs: from }),
          ...(to === undefined ? {} : { toMs: to }),
        });
      });
      ctx.stdout.write(
        `exported ${result.events} events with inclusion proofs against checkpoint size ${result.treeSize} to ${out}\n`,
      );
    });
  program
    .command('verify-bundle <dir>')
    .description('check an evidence bundle with no store at all')
    .option('--vkey <key>', 'trust this verifier key instead of the bundled one')
    .option('--json', 'print the result as JSON')
    .action((dir: string, flags: { vkey?: string; json?: boolean }) => {
      const folder = path.resolve(ctx.cwd, dir);
      const read = (name: string) => {
        try {
          return readFileSync(path.join(folder, name), 'utf8');
        } catch {
          throw new VigilError('CLI_BUNDLE_INCOMPLETE', `${folder}: ${name} is missing`, {
            category: 'input',
          });
        }
      };
      const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
      let proofs: InclusionProofJson[];
      try {
        proofs = lines(read('proofs.jsonl')).map((l) => JSON.parse(l) as InclusionProofJson);
      } catch (error) {
        if (error instanceof VigilError) throw error;
        throw new VigilError('CLI_BUNDLE_INCOMPLETE', `${folder}/proofs.jsonl is not JSON lines`, {
          category: 'input',
        });
      }
      const proofDir = path.join(folder, 'proofs');
      const tlogProofs = existsSync(proofDir)
        ? readdirSync(proofDir)
            .filter((name) => name.endsWith('.tlog-proof'))
            .map((name) => ({
              name: `proofs/${name}`,
              text: readFileSync(path.join(proofDir, name), 'utf8'),
            }))
        : [];
      const result = checkEvidenceBundle({
        checkpoint: read('checkpoint.txt'),
        verifierKey: flags.vkey ?? read('verifier-key.txt'),
        events: lines(read('events.jsonl')),
        proofs,
        tlogProofs,
      });
      if (flags.json) ctx.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else {
        for (const f of result.findings)
          ctx.stdout.write(`FAIL ${f.line && !f.file ? `line ${f.line}: ` : ''}${f.message}\n`);
        ctx.stdout.write(
          result.ok
            ? `verify-bundle: OK — ${result.events} events included in the signed tree of size ${result.treeSize}\n`
            : `verify-bundle: FAILED — ${result.findings.length} finding(s)\n`,
        );
      }
      if (!result.ok) ctx.exitCode = 1;
    });
};
