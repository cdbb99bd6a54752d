import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VigilError } from '../core/vigil-error.js';
import { parseCheckpoint } from '../ledger/checkpoint.js';
import type { ExternalCheckpoint } from './custody-verifier.js';
import type { VerifyErrorCode } from './errors.js';
import type { VerificationReport } from './verification-report.js';

/** The rollback memory's file name in the data directory, where no other place is given. */
export const MEMORY_FILE = 'verified-checkpoints.json';

/** Far more than any number of logs needs; a larger file is not one verify wrote. */
const MAX_MEMORY_BYTES = 1024 * 1024;

/**
 * What `vigil verify` remembers between runs, outside the database: per log, the largest checkpoint
 * it has verified, verbatim (signed, so the file vouches for nothing by itself). Truncation and
 * rollback cannot be seen from inside a store that an attacker rewrote consistently; a store smaller
 * than, or not an extension of, a checkpoint verify once accepted can. Kept where the store's
 * writer cannot reach it, it catches a rollback of the whole data directory too.
 */
export interface RollbackMemory {
  readonly logs: Readonly<Record<string, RememberedCheckpoint>>;
}

export interface RememberedCheckpoint {
  readonly size: number;
  /** The signed note, verbatim. */
  readonly note: string;
  /** When verify accepted it (ms, the injected clock). */
  readonly verifiedAtMs: number;
}

const EMPTY: RollbackMemory = { logs: {} };

const invalid = (file: string, why: string, cause?: unknown) =>
  new VigilError<VerifyErrorCode>(
    'VERIFY_MEMORY_INVALID',
    `${file}: ${why} (the rollback memory vigil verify keeps; move it away to start it afresh)`,
    { category: 'input', details: { file }, cause },
  );

/** The memory in `file`; nothing remembered when there is no file yet. */
export function readRollbackMemory(file: string): RollbackMemory {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return EMPTY;
    throw invalid(file, `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, error);
  }
  if (size > MAX_MEMORY_BYTES) throw invalid(file, `larger than ${MAX_MEMORY_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalid(file, 'not valid JSON', error);
  }
  const logs = (doc as { v?: unknown; logs?: unknown } | null)?.logs;
  if ((doc as { v?: unknown }).v !== 1 || logs === null || typeof logs !== 'object' || Array.isArray(logs))
    throw invalid(file, 'not {"v":1,"logs":{...}}');
  const checked: Record<string, RememberedCheckpoint> = {};
  for (const [log, entry] of Object.entries(logs as Record<string, unknown>)) {
    const { note, verifiedAtMs } = (entry ?? {}) as { note?: unknown; verifiedAtMs?: unknown };
    if (typeof note !== 'string' || typeof verifiedAtMs !== 'number')
      throw invalid(file, `logs.${log}: needs a note and verifiedAtMs`);
    checked[log] = { size: claimedSize(note, file, log), note, verifiedAtMs };
  }
  return { logs: checked };
}

/** The remembered checkpoints, for verify to check each log against (external-checkpoint.ts). */
export function rememberedCheckpoints(memory: RollbackMemory, file: string): ExternalCheckpoint[] {
  return Object.values(memory.logs).map((entry) => ({
    note: entry.note,
    from: `the rollback memory ${file} (size ${entry.size}, verified ${new Date(entry.verifiedAtMs).toISOString()})`,
  }));
}

/**
 * The memory after a verification: only a report with no finding at all moves it, and only
 * forward, to each log's newest checkpoint where that is larger than the one remembered. Undefined
 * when nothing changes.
 */
export function advanceRollbackMemory(
  memory: RollbackMemory,
  report: VerificationReport,
  nowMs: number,
): RollbackMemory | undefined {
  if (!report.ok) return undefined;
  const logs = { ...memory.logs };
  let changed = false;
  for (const summary of report.sources) {
    const note = summary.verifiedCheckpoint;
    if (note === undefined) continue;
    const size = claimedSize(note, 'the verified store', summary.source);
    if (size <= (logs[summary.source]?.size ?? -1)) continue;
    logs[summary.source] = { size, note, verifiedAtMs: nowMs };
    changed = true;
  }
  return changed ? { logs } : undefined;
}

/**
 * Writes the memory: a new file beside it (0600), renamed over the old one, so a crash leaves one
 * or the other whole. The one file `vigil verify` writes; it throws where it cannot (a read-only
 * place), and the caller reports that without failing the verification.
 */
export function writeRollbackMemory(file: string, memory: RollbackMemory): void {
  const next = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(next, JSON.stringify({ v: 1, logs: memory.logs }, null, 2) + '\n', {
    mode: 0o600,
    flag: 'wx',
  });
  renameSync(next, file);
}

function claimedSize(note: string, file: string, log: string): number {
  try {
    return parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1)).size;
  } catch (error) {
    throw invalid(file, `logs.${log}: the note is not a checkpoint`, error);
  }
}
