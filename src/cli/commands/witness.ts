import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { VigilError } from '../../core/vigil-error.js';
import { loadConfig, saveConfig } from '../../config/vigil-config.js';
import { describeOutcome, failsRun, type PublicationReport } from '../../runtime/checkpoint-publication.js';
import { parseVerifierKey } from '../../ledger/note-key.js';
import { configuredWitness, newWitnessEntry } from '../../witness/witness-config.js';
import type { WitnessErrorCode } from '../../witness/errors.js';
import { loadOrCreateWitnessKey, readWitnessKey } from '../../witness/witness-key.js';
import { acquireWitnessLock } from '../../witness/witness-lock.js';
import { startWitnessServer } from '../../witness/witness-server.js';
import { Witness } from '../../witness/witness-service.js';
import { WitnessStateFile } from '../../witness/witness-state.js';
import { wholeNumberFlag } from '../flag-parsers.js';
import { dataDirOf, type CliContext, type CommandRegistrar } from '../cli-context.js';
import { safeText } from '../safe-text.js';

interface ServeFlags {
  log: string[];
  name?: string;
  host: string;
  port?: string;
}

/** The witness's files in its data directory, beside keys/witness.key. */
export const WITNESS_STATE_FILE = 'witness-state.json';
const WITNESS_LOCK_FILE = 'witness.lock';

/**
 * `vigil witness serve | key`: Vigil as a c2sp.org/tlog-witness witness for another Vigil's logs
 * (or any log whose checkpoints are Ed25519 signed notes). Its data directory holds only its key,
 * its state file and a lock; no store.
 */
export const registerWitnessCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const witness = program
    .command('witness')
    .description("act as a witness: cosign other logs' checkpoints, refusing rollbacks");
  witness
    .command('serve')
    .description('serve POST /add-checkpoint (c2sp.org/tlog-witness) until stopped')
    .requiredOption(
      '--log <vkey>',
      "a log's verifier key (vigil ledger key on that host); its name is the origin (repeatable)",
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--name <name>', "this witness's key name, on first start (default vigil-witness)")
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free port)', '0')
    .action(async (flags: ServeFlags, cmd: Command) => {
      const logs = flags.log.map((vkey) => {
        try {
          return parseVerifierKey(vkey);
        } catch (error) {
          throw new VigilError<WitnessErrorCode>(
            'WITNESS_CONFIG_INVALID',
            `--log ${JSON.stringify(vkey)}: ${error instanceof Error ? error.message : String(error)}`,
            { category: 'input', cause: error },
          );
        }
      });
      const port = wholeNumberFlag('port', flags.port) ?? 0;
      const dataDir = dataDirOf(cmd, ctx);
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const lock = acquireWitnessLock(path.join(dataDir, WITNESS_LOCK_FILE));
      try {
        const key = loadOrCreateWitnessKey(dataDir, ctx.clock, flags.name);
        const state = WitnessStateFile.open(path.join(dataDir, WITNESS_STATE_FILE));
        const service = new Witness(logs, state, key.cosigner);
        const server = await startWitnessServer(service, { host: flags.host, port }, (reply, remote) => {
          const why = reply.status === 200 ? '' : ` ${reply.body.split('\n')[0]}`;
          ctx.stderr.write(`add-checkpoint from ${remote}: ${reply.status}${safeText(why)}\n`);
        });
        ctx.stdout.write(
          `witness ${key.cosigner.name} listening on ${server.url}\n` +
            `vkey ${key.vkey}\n` +
            `logs ${service.origins.join(' ')}\n`,
        );
        await new Promise<void>((resolve) => {
          if (ctx.signal.aborted) resolve();
          else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        await server.close();
      } finally {
        lock.release();
      }
    });
  witness
    .command('key')
    .description("print this witness's cosignature verifier key (for vigil ledger witness add)")
    .action((_flags: unknown, cmd: Command) => {
      // Read only: a missing key is an error naming the file, never a new key.
      ctx.stdout.write(readWitnessKey(dataDirOf(cmd, ctx), ctx.clock).vkey + '\n');
    });
};

/** `vigil ledger witness add | list | remove`: the `witnesses:` section of vigil.yaml. */
export function registerLedgerWitnessCommands(ledger: Command, ctx: CliContext): void {
  const witness = ledger
    .command('witness')
    .description("witnesses the ledger's checkpoints are sent to for cosigning (vigil.yaml witnesses:)");
  witness
    .command('add <url> <vkey>')
    .description('add a witness: its URL and its cosignature key (vigil witness key on that host)')
    .action((url: string, vkey: string, _flags: unknown, cmd: Command) => {
      const dataDir = dataDirOf(cmd, ctx);
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const config = loadConfig(dataDir);
      const entry = newWitnessEntry(url, vkey, config.witnesses);
      saveConfig(dataDir, { ...config, witnesses: [...config.witnesses, entry] });
      ctx.stdout.write(`added witness ${configuredWitness(entry).name} (${entry.url})\n`);
    });
  witness
    .command('list')
    .description('list the configured witnesses')
    .option('--json', 'print JSON')
    .action((flags: { json?: boolean }, cmd: Command) => {
      const dataDir = dataDirOf(cmd, ctx);
      const entries = existsSync(dataDir) ? loadConfig(dataDir).witnesses : [];
      if (flags.json) ctx.stdout.write(JSON.stringify(entries, null, 2) + '\n');
      else
        for (const w of entries.map(configuredWitness)) ctx.stdout.write(`${w.name}\t${w.url}\t${w.vkey}\n`);
    });
  witness
    .command('remove <name-or-url>')
    .description('remove a witness (its stored cosignatures stay)')
    .action((which: string, _flags: unknown, cmd: Command) => {
      const dataDir = dataDirOf(cmd, ctx);
      const config = loadConfig(dataDir);
      const keep = config.witnesses.filter((e) => {
        const w = configuredWitness(e);
        return w.name !== which && w.url !== which.replace(/\/+$/, '');
      });
      if (keep.length === config.witnesses.length)
        throw new VigilError<WitnessErrorCode>('WITNESS_UNKNOWN', `no witness named or at ${which}`, {
          category: 'input',
        });
      saveConfig(dataDir, { ...config, witnesses: keep });
      ctx.stdout.write(`removed witness ${which}\n`);
    });
}

/** `collect`'s lines about checkpoints leaving the host: one per log, one per alarming witness answer. */
export function reportPublications(ctx: CliContext, reports: readonly PublicationReport[]): string {
  let summary = '';
  for (const r of reports) {
    const cosigned = r.witnesses.filter((w) => w.kind === 'cosigned').length;
    const delivered = r.sinks.filter((s) => s.ok).length;
    // Only where a checkpoint went somewhere: a store with no witnesses and no sinks prints nothing.
    const went = [
      r.witnesses.length > 0 ? `cosigned by ${cosigned}/${r.witnesses.length} witnesses` : '',
      r.sinks.length > 0 ? `sent to ${delivered}/${r.sinks.length} sinks` : '',
    ].filter(Boolean);
    if (went.length > 0) summary += `${r.log}: checkpoint ${r.treeSize} ${went.join(', ')}\n`;
    for (const s of r.sinks.filter((d) => !d.ok))
      ctx.stderr.write(
        `vigil collect: checkpoint of ${r.log} not delivered to ${s.sink}: ${safeText(s.message ?? s.code ?? 'failed')}\n`,
      );
    for (const w of r.witnesses.filter((o) => o.kind !== 'cosigned')) {
      ctx.stderr.write(`vigil collect: witness ${w.witness}, ${r.log}: ${safeText(describeOutcome(w))}\n`);
      // A witness that saw more, or refuses the tree as inconsistent, is a failed run, not a warning.
      if (failsRun(w)) ctx.exitCode = 1;
    }
  }
  return summary;
}
