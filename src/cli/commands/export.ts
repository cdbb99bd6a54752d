import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { VigilError } from '../../core/vigil-error.js';
import { openCustody } from '../../custody/open-custody.js';
import { formatVerifierKey } from '../../ledger/note-key.js';
import { inclusionProofToJson, type InclusionProofJson } from '../../ledger/proof-json.js';
import { inclusionProof } from '../../ledger/proofs.js';
import { formatTlogProof } from '../../ledger/tlog-proof.js';
import { BUNDLE_README, checkEvidenceBundle } from '../../verify/evidence-bundle.js';
import { isoTimeFlag } from '../flag-parsers.js';
import { dataDirOf, type CliContext, type CommandRegistrar } from '../cli-context.js';

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
      const custody = await openCustody(dataDirOf(cmd, ctx), ctx.clock);
      try {
        const cp = await custody.db
          .selectFrom('checkpoints')
          .selectAll()
          .where('source', '=', flags.source)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (!cp)
          throw new VigilError('CLI_NO_CHECKPOINT', `ledger ${flags.source} has no signed checkpoint yet`, {
            category: 'input',
          });
        let q = custody.db
          .selectFrom('events')
          .innerJoin('ledger_leaves', (j) =>
            j
              .onRef('ledger_leaves.source', '=', 'events.source')
              .onRef('ledger_leaves.leaf_index', '=', 'events.leaf_index'),
          )
          .select(['events.raw', 'events.leaf_index', 'ledger_leaves.data'])
          .where('events.source', '=', flags.source)
          .where('events.leaf_index', '<', Number(cp.tree_size));
        if (from !== undefined) q = q.where('events.published_ms', '>=', from);
        if (to !== undefined) q = q.where('events.published_ms', '<', to);
        const rows = await q.orderBy('events.leaf_index').execute();
        const reader = custody.store.hashReader(flags.source);
        const proofs: InclusionProofJson[] = [];
        mkdirSync(path.join(out, 'proofs'), { recursive: true });
        for (const r of rows) {
          const index = Number(r.leaf_index);
          const proof = await inclusionProof(index, Number(cp.tree_size), reader);
          writeFileSync(
            path.join(out, 'proofs', `${index}.tlog-proof`),
            formatTlogProof({ extra: Buffer.from(r.data), index, proof, checkpoint: cp.note }),
          );
          proofs.push(
            inclusionProofToJson({
              treeSize: Number(cp.tree_size),
              rootHash: Buffer.from(cp.root_hash),
              leafIndex: index,
              leafData: Buffer.from(r.data),
              proof,
            }),
          );
        }
        writeFileSync(path.join(out, 'checkpoint.txt'), cp.note);
        writeFileSync(
          path.join(out, 'verifier-key.txt'),
          formatVerifierKey(custody.signerFor(flags.source)) + '\n',
        );
        writeFileSync(path.join(out, 'events.jsonl'), rows.map((r) => r.raw + '\n').join(''));
        writeFileSync(path.join(out, 'proofs.jsonl'), proofs.map((p) => JSON.stringify(p) + '\n').join(''));
        writeFileSync(path.join(out, 'README.md'), BUNDLE_README);
        ctx.stdout.write(
          `exported ${rows.length} events with inclusion proofs against checkpoint size ${cp.tree_size} to ${out}\n`,
        );
      } finally {
        await custody.close();
      }
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
