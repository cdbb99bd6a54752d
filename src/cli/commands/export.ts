import { existsSync, lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { VigilError } from '../../core/vigil-error.js';
import { exportEvidence } from '../../custody/evidence-export.js';
import type { InclusionProofJson } from '../../ledger/proof-json.js';
import { parseVerifierKey } from '../../ledger/note-key.js';
import { checkEvidenceBundle, WITHHELD_FILE, type EvidenceBundle } from '../../verify/evidence-bundle.js';
import { isoTimeFlag } from '../flag-parsers.js';
import { MiB, readRegularTextFile } from '../regular-file.js';
import { safeText } from '../safe-text.js';
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
      checkOutFolder(out);
      const from = isoTimeFlag('from', flags.from);
      const to = isoTimeFlag('to', flags.to);
      const result = await withCommandRuntime(cmd, ctx, { access: 'read' }, async (runtime) => {
        const verifier = runtime.verifierKeys()(flags.source)!;
        try {
          return await exportEvidence(
            runtime.store.db,
            runtime.custody().hashReader(flags.source),
            verifier,
            {
              log: flags.source,
              out,
              ...(from === undefined ? {} : { fromMs: from }),
              ...(to === undefined ? {} : { toMs: to }),
            },
          );
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) throw error;
          throw new VigilError('CLI_OUT_UNWRITABLE', `cannot write the bundle at ${out}: ${code}`, {
            category: 'input',
            details: { out },
            cause: error,
          });
        }
      });
      ctx.stdout.write(
        `exported ${result.events} events with inclusion proofs against checkpoint size ${result.treeSize} to ${out}\n`,
      );
    });
  program
    .command('verify-bundle <dir>')
    .description('check an evidence bundle with no store at all')
    .option(
      '--vkey <key>',
      "the ledger's verifier key as you recorded it (`vigil ledger key`); without it the bundle's own key is trusted, and said so",
    )
    .option('--json', 'print the result as JSON')
    .action((dir: string, flags: { vkey?: string; json?: boolean }) => {
      if (flags.vkey !== undefined) pinnedKeyFlag(flags.vkey);
      const bundle = readBundle(path.resolve(ctx.cwd, dir));
      const result = checkEvidenceBundle({
        ...bundle,
        ...(flags.vkey === undefined ? {} : { pinnedKey: flags.vkey }),
      });
      if (flags.json) ctx.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else {
        for (const f of result.findings)
          ctx.stdout.write(`FAIL ${f.line && !f.file ? `line ${f.line}: ` : ''}${safeText(f.message)}\n`);
        if (result.keyTrust === 'bundled')
          ctx.stdout.write(
            "key: taken from the bundle's own verifier-key.txt (not pinned). This shows the bundle is consistent, not who signed it: pass --vkey with the ledger's key as you recorded it\n",
          );
        ctx.stdout.write(
          result.ok && result.withheld !== undefined
            ? `verify-bundle: OK — ${result.withheld} event leaves (events withheld: ids and digests only) included in the signed tree of size ${result.treeSize} (key ${result.keyTrust})\n`
            : result.ok
              ? `verify-bundle: OK — ${result.events} events included in the signed tree of size ${result.treeSize} (key ${result.keyTrust})\n`
              : `verify-bundle: FAILED — ${result.findings.length} finding(s)\n`,
        );
      }
      if (!result.ok) ctx.exitCode = 1;
    });
};

/** `--out` must be a new folder, or an empty one: never a file, a symlink, or a folder holding anything. */
function checkOutFolder(out: string): void {
  let info;
  try {
    info = lstatSync(out);
  } catch {
    return; // created by the export; a parent that is not a folder is reported when it is made
  }
  if (!info.isDirectory())
    throw new VigilError(
      'CLI_OUT_NOT_DIRECTORY',
      `--out ${out} exists and is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}`,
      { category: 'input', details: { out } },
    );
  if (readdirSync(out).length > 0)
    throw new VigilError('CLI_OUT_NOT_EMPTY', `--out ${out} is not empty`, {
      category: 'input',
      details: { out },
    });
}

/** Small bundle files (the checkpoint note, the key) and the large ones (events, proofs). */
const SMALL_FILE_BYTES = 64 * 1024;
const BUNDLE_FILE_BYTES = 256 * MiB;

/**
 * Reads a bundle folder as hostile input: only regular files (no symlink is followed, no FIFO or
 * device opened), each under its size limit.
 */
function readBundle(folder: string): Omit<EvidenceBundle, 'pinnedKey'> {
  const read = (name: string, maxBytes: number) => {
    const file = path.join(folder, name);
    if (!existsSync(file) && !isSymlink(file))
      throw new VigilError('CLI_BUNDLE_INCOMPLETE', `${folder}: ${name} is missing`, { category: 'input' });
    return readRegularTextFile(file, maxBytes);
  };
  const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
  // A shared export (`vigil incident export --share`) withholds the events: it says so in a file.
  const eventsWithheld =
    !existsSync(path.join(folder, 'events.jsonl')) && existsSync(path.join(folder, WITHHELD_FILE));
  const events = eventsWithheld ? [] : lines(read('events.jsonl', BUNDLE_FILE_BYTES));
  let proofs: InclusionProofJson[];
  try {
    proofs = lines(read('proofs.jsonl', BUNDLE_FILE_BYTES)).map((l) => JSON.parse(l) as InclusionProofJson);
  } catch (error) {
    if (error instanceof VigilError) throw error;
    throw new VigilError('CLI_BUNDLE_INCOMPLETE', `${folder}/proofs.jsonl is not JSON lines`, {
      category: 'input',
    });
  }
  const proofDir = path.join(folder, 'proofs');
  let tlogProofs: { name: string; text: string }[] = [];
  if (isSymlink(proofDir) || (existsSync(proofDir) && !lstatSync(proofDir).isDirectory()))
    throw new VigilError('CLI_FILE_NOT_REGULAR', `${proofDir} is not a directory (a symlink is refused)`, {
      category: 'input',
      details: { file: proofDir },
    });
  if (existsSync(proofDir))
    tlogProofs = readdirSync(proofDir)
      .filter((name) => name.endsWith('.tlog-proof'))
      .sort()
      .map((name) => ({
        name: `proofs/${name}`,
        text: readRegularTextFile(path.join(proofDir, name), SMALL_FILE_BYTES),
      }));
  return {
    checkpoint: read('checkpoint.txt', SMALL_FILE_BYTES),
    verifierKey: read('verifier-key.txt', SMALL_FILE_BYTES),
    events,
    proofs,
    tlogProofs,
    ...(eventsWithheld ? { eventsWithheld } : {}),
  };
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A malformed `--vkey` is bad input naming the flag (exit 2), not a finding about the bundle. */
function pinnedKeyFlag(text: string): void {
  try {
    parseVerifierKey(text);
  } catch (error) {
    throw new VigilError(
      'CLI_BAD_USAGE',
      `--vkey: ${error instanceof Error ? error.message : String(error)}`,
      {
        category: 'input',
        cause: error,
      },
    );
  }
}
