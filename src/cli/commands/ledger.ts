import type { Command } from 'commander';
import { VigilError } from '../../core/vigil-error.js';
import { ledgerReads } from '../../custody/ledger-reads.js';
import { recordReads } from '../../custody/record-reads.js';
import { formatVerifierKey } from '../../ledger/note-key.js';
import { consistencyProofToJson, inclusionProofToJson } from '../../ledger/proof-json.js';
import { consistencyProof, inclusionProof, treeRoot } from '../../ledger/proofs.js';
import type { Runtime } from '../../runtime/runtime.js';
import { wholeNumberFlag } from '../flag-parsers.js';
import { registerLedgerWitnessCommands } from './witness.js';
import { withCommandRuntime, type CliContext, type CommandRegistrar } from '../cli-context.js';

/** Ledger commands only read: the store must exist, and no key is ever created. */
const reading = <T>(cmd: Command, ctx: CliContext, use: (runtime: Runtime) => Promise<T>) =>
  withCommandRuntime(cmd, ctx, { access: 'read' }, use);

/** `vigil ledger key | checkpoint | prove | consistency` (docs/design.md "Contracts"). */
export const registerLedgerCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const ledger = program.command('ledger').description('ledger keys, checkpoints and proofs');
  registerLedgerWitnessCommands(ledger, ctx);
  ledger
    .command('key')
    .description("print the ledger's verifier key (name+keyid+base64), for note.NewVerifier")
    .option('--source <name>', 'the source (default: okta, or the only one)')
    .action(async (flags: { source?: string }, cmd: Command) =>
      reading(cmd, ctx, async (runtime) => {
        const reads = ledgerReads(runtime.store.db);
        const log = flags.source ?? (await reads.pickLog(undefined).catch(() => 'okta'));
        // Read only: a missing key file is an error naming it, never a new key (keys/key-providers.ts).
        ctx.stdout.write(formatVerifierKey(runtime.verifierKeys()(log)!) + '\n');
      }),
    );
  ledger
    .command('checkpoint')
    .description('print the latest signed checkpoint, verbatim')
    .option('--source <name>', 'the source')
    .action(async (flags: { source?: string }, cmd: Command) =>
      reading(cmd, ctx, async (runtime) => {
        const reads = ledgerReads(runtime.store.db);
        ctx.stdout.write((await reads.latestCheckpoint(await reads.pickLog(flags.source))).note);
      }),
    );
  ledger
    .command('prove')
    .description('inclusion proof of one leaf against the latest checkpoint')
    .option('--index <n>', 'leaf index')
    .option('--event <uuid>', "the provider's event id")
    .option('--record <id>', 'a record id, in a record log such as okta/config-snapshots')
    .option('--source <name>', 'the log: a source (its events) or <source>/<kind>')
    .option('--json', 'print the proof JSON (the default)')
    .action(
      async (flags: { index?: string; event?: string; record?: string; source?: string }, cmd: Command) =>
        reading(cmd, ctx, async (runtime) => {
          const reads = ledgerReads(runtime.store.db);
          const source = await reads.pickLog(flags.source);
          let index = wholeNumberFlag('index', flags.index);
          if (index === undefined && flags.event) index = await reads.leafOfEvent(source, flags.event);
          if (index === undefined && flags.record)
            index = await recordReads(runtime.store.db).leafOfRecord(source, flags.record);
          if (index === undefined)
            throw new VigilError('CLI_BAD_USAGE', 'give --index N, --event UUID or --record ID', {
              category: 'input',
            });
          const cp = await reads.latestCheckpoint(source);
          const size = cp.treeSize;
          if (index >= size)
            throw new VigilError(
              'CLI_BAD_NUMBER',
              `--index ${index} is not covered by the latest checkpoint (size ${size})`,
              { category: 'input' },
            );
          const proof = await inclusionProof(index, size, runtime.custody().hashReader(source));
          const json = inclusionProofToJson({
            treeSize: size,
            rootHash: cp.rootHash,
            leafIndex: index,
            leafData: await reads.leafData(source, index),
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
      reading(cmd, ctx, async (runtime) => {
        const reads = ledgerReads(runtime.store.db);
        const source = await reads.pickLog(flags.source);
        const oldSize = wholeNumberFlag('from', flags.from)!;
        const cp = await reads.latestCheckpoint(source);
        const size = cp.treeSize;
        if (oldSize > size)
          throw new VigilError(
            'CLI_BAD_NUMBER',
            `--from ${oldSize} is beyond the latest checkpoint (size ${size})`,
            { category: 'input' },
          );
        const old = await reads.checkpointOfSize(source, oldSize);
        if (!old)
          throw new VigilError(
            'CUSTODY_NO_CHECKPOINT',
            `no checkpoint of size ${oldSize} was ever signed for ${source}`,
            { category: 'input' },
          );
        const reader = runtime.custody().hashReader(source);
        const proof = oldSize === 0 ? [] : await consistencyProof(oldSize, size, reader);
        const json = consistencyProofToJson({
          oldSize,
          oldRoot: oldSize === 0 ? await treeRoot(0, reader) : old.rootHash,
          treeSize: size,
          rootHash: cp.rootHash,
          proof,
        });
        ctx.stdout.write(JSON.stringify(json, null, 2) + '\n');
      }),
    );
};
