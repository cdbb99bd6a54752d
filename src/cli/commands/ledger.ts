import type { Command } from 'commander';
import { VigilError } from '../../core/vigil-error.js';
import { openCustody } from '../../custody/open-custody.js';
import { formatVerifierKey } from '../../ledger/note-key.js';
import { consistencyProofToJson, inclusionProofToJson } from '../../ledger/proof-json.js';
import { consistencyProof, inclusionProof, treeRoot } from '../../ledger/proofs.js';
import { wholeNumberFlag } from '../flag-parsers.js';
import { dataDirOf, type CliContext, type CommandRegistrar } from '../cli-context.js';

type Custody = Awaited<ReturnType<typeof openCustody>>;

/** The source a ledger command is about: `--source`, or the only one in the store. */
async function pickSource(custody: Custody, flag: string | undefined): Promise<string> {
  if (flag) return flag;
  const rows = await custody.db.selectFrom('checkpoints').select('source').distinct().execute();
  if (rows.length === 1) return rows[0]!.source;
  throw new VigilError(
    'CLI_SOURCE_REQUIRED',
    rows.length === 0
      ? 'the store has no ledger yet; run vigil collect'
      : `several ledgers (${rows.map((r) => r.source).join(', ')}): name one with --source`,
    {
      category: 'input',
    },
  );
}

async function latestCheckpoint(custody: Custody, source: string) {
  const cp = await custody.db
    .selectFrom('checkpoints')
    .selectAll()
    .where('source', '=', source)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!cp)
    throw new VigilError('CLI_NO_CHECKPOINT', `ledger ${source} has no signed checkpoint yet`, {
      category: 'input',
    });
  return cp;
}

async function withCustody<T>(
  cmd: Command,
  ctx: CliContext,
  run: (custody: Custody) => Promise<T>,
): Promise<T> {
  const custody = await openCustody(dataDirOf(cmd, ctx), ctx.clock);
  try {
    return await run(custody);
  } finally {
    await custody.close();
  }
}

/** `vigil ledger key | checkpoint | prove | consistency` (DESIGN.md "Contracts"). */
export const registerLedgerCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const ledger = program.command('ledger').description('ledger keys, checkpoints and proofs');
  ledger
    .command('key')
    .description("print the ledger's verifier key (name+keyid+base64), for note.NewVerifier")
    .option('--source <name>', 'the source (default: okta, or the only one)')
    .action(async (flags: { source?: string }, cmd: Command) =>
      withCustody(cmd, ctx, async (custody) => {
        const source = flags.source ?? (await pickSource(custody, undefined).catch(() => 'okta'));
        ctx.stdout.write(formatVerifierKey(custody.signerFor(source)) + '\n');
      }),
    );
  ledger
    .command('checkpoint')
    .description('print the latest signed checkpoint, verbatim')
    .option('--source <name>', 'the source')
    .action(async (flags: { source?: string }, cmd: Command) =>
      withCustody(cmd, ctx, async (custody) => {
        ctx.stdout.write((await latestCheckpoint(custody, await pickSource(custody, flags.source))).note);
      }),
    );
  ledger
    .command('prove')
    .description('inclusion proof of one leaf against the latest checkpoint')
    .option('--index <n>', 'leaf index')
    .option('--event <uuid>', "the provider's event id")
    .option('--source <name>', 'the source')
    .option('--json', 'print the proof JSON (the default)')
    .action(async (flags: { index?: string; event?: string; source?: string }, cmd: Command) =>
      withCustody(cmd, ctx, async (custody) => {
        const source = await pickSource(custody, flags.source);
        let index = wholeNumberFlag('index', flags.index);
        if (index === undefined && flags.event) {
          const row = await custody.db
            .selectFrom('events')
            .select('leaf_index')
            .where('source', '=', source)
            .where('provider_id', '=', flags.event)
            .executeTakeFirst();
          if (!row)
            throw new VigilError('CLI_NO_SUCH_EVENT', `no stored event ${flags.event} in ${source}`, {
              category: 'input',
            });
          index = Number(row.leaf_index);
        }
        if (index === undefined)
          throw new VigilError('CLI_BAD_USAGE', 'give --index N or --event UUID', { category: 'input' });
        const cp = await latestCheckpoint(custody, source);
        const size = Number(cp.tree_size);
        if (index >= size)
          throw new VigilError(
            'CLI_BAD_NUMBER',
            `--index ${index} is not covered by the latest checkpoint (size ${size})`,
            { category: 'input' },
          );
        const leaf = await custody.db
          .selectFrom('ledger_leaves')
          .select('data')
          .where('source', '=', source)
          .where('leaf_index', '=', index)
          .executeTakeFirstOrThrow();
        const reader = custody.store.hashReader(source);
        const proof = await inclusionProof(index, size, reader);
        const json = inclusionProofToJson({
          treeSize: size,
          rootHash: Buffer.from(cp.root_hash),
          leafIndex: index,
          leafData: Buffer.from(leaf.data),
          proof,
        });
        ctx.stdout.write(JSON.stringify(json, null, 2) + '\n');
      }),
    );
  ledger
    .command('consistency')
    .description('consistency proof from the checkpoint of size M to the latest')
    .requiredOption('--from <m>', 'the older tree size (a checkpoint you hold)')
    .option('--source <name>', 'the source')
    .option('--json', 'print the proof JSON (the default)')
    .action(async (flags: { from: string; source?: string }, cmd: Command) =>
      withCustody(cmd, ctx, async (custody) => {
        const source = await pickSource(custody, flags.source);
        const oldSize = wholeNumberFlag('from', flags.from)!;
        const cp = await latestCheckpoint(custody, source);
        const size = Number(cp.tree_size);
        if (oldSize > size)
          throw new VigilError(
            'CLI_BAD_NUMBER',
            `--from ${oldSize} is beyond the latest checkpoint (size ${size})`,
            { category: 'input' },
          );
        const old = await custody.db
          .selectFrom('checkpoints')
          .select('root_hash')
          .where('source', '=', source)
          .where('tree_size', '=', oldSize)
          .orderBy('id')
          .limit(1)
          .executeTakeFirst();
        if (!old)
          throw new VigilError(
            'CLI_NO_CHECKPOINT',
            `no checkpoint of size ${oldSize} was ever signed for ${source}`,
            { category: 'input' },
          );
        const reader = custody.store.hashReader(source);
        const proof = oldSize === 0 ? [] : await consistencyProof(oldSize, size, reader);
        const json = consistencyProofToJson({
          oldSize,
          oldRoot: oldSize === 0 ? await treeRoot(0, reader) : Buffer.from(old.root_hash),
          treeSize: size,
          rootHash: Buffer.from(cp.root_hash),
          proof,
        });
        ctx.stdout.write(JSON.stringify(json, null, 2) + '\n');
      }),
    );
};
