import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { VigilError } from '../core/vigil-error.js';
import type { WitnessErrorCode } from './errors.js';

/** What a witness remembers per log origin: the latest checkpoint it cosigned (c2sp.org/tlog-witness). */
export interface WitnessedTree {
  readonly size: number;
  readonly rootHash: Buffer;
}

const STATE_VERSION = 1;
const stateSchema = z
  .object({
    version: z.literal(STATE_VERSION),
    logs: z.record(
      z.object({
        size: z.number().int().nonnegative().safe(),
        root: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
      }),
    ),
  })
  .strict();

/**
 * The witness's state file (`witness-state.json`, 0600): one entry per origin. Written whole to a
 * temporary file, flushed, renamed over the old one and the directory flushed, so after a crash it
 * holds either the old state or the new one; tlog-witness requires it persisted before the
 * cosignature is returned.
 */
export class WitnessStateFile {
  readonly #logs = new Map<string, WitnessedTree>();

  private constructor(readonly file: string) {}

  static open(file: string): WitnessStateFile {
    const state = new WitnessStateFile(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return state;
      throw invalid(file, (error as Error).message);
    }
    let parsed;
    try {
      parsed = stateSchema.parse(JSON.parse(text));
    } catch (error) {
      throw invalid(file, error instanceof z.ZodError ? (error.issues[0]?.message ?? 'invalid') : 'not JSON');
    }
    for (const [origin, { size, root }] of Object.entries(parsed.logs))
      state.#logs.set(origin, { size, rootHash: Buffer.from(root, 'base64') });
    return state;
  }

  /** The latest cosigned tree of `origin`, or undefined when it never cosigned one (size 0 to the protocol). */
  latest(origin: string): WitnessedTree | undefined {
    return this.#logs.get(origin);
  }

  /** Records `tree` as the latest for `origin` durably; returns once it is on disk. */
  record(origin: string, tree: WitnessedTree): void {
    const next = new Map(this.#logs).set(origin, tree);
    const logs: Record<string, { size: number; root: string }> = {};
    for (const [o, t] of [...next].sort(([a], [b]) => (a < b ? -1 : 1)))
      logs[o] = { size: t.size, root: t.rootHash.toString('base64') };
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify({ version: STATE_VERSION, logs }, null, 2) + '\n', { mode: 0o600 });
    const fd = openSync(temp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
    const dir = openSync(path.dirname(this.file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    this.#logs.set(origin, tree);
  }
}

function invalid(file: string, reason: string): VigilError<WitnessErrorCode> {
  return new VigilError('WITNESS_STATE_INVALID', `${file}: witness state unreadable: ${reason}`, {
    category: 'input',
    details: { file },
  });
}
