import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';
import { HASH_SIZE } from './merkle-hash.js';
import { isCanonicalBase64, isValidKeyName } from './note-key.js';

/** A C2SP tlog-checkpoint body. We emit no extension lines (NOT RECOMMENDED by the spec). */
export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
}

function malformed(reason: string): VigilError<LedgerErrorCode> {
  return new VigilError('LEDGER_CHECKPOINT_MALFORMED', `malformed checkpoint: ${reason}`, {
    category: 'check',
    details: { reason },
  });
}

/** c2sp.org/tlog-checkpoint: `<origin>\n<decimal size>\n<base64 root>\n`. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  if (!isValidKeyName(checkpoint.origin)) throw malformed('origin must be non-empty with no spaces or "+"');
  if (!Number.isSafeInteger(checkpoint.size) || checkpoint.size < 0) throw malformed('bad size');
  if (checkpoint.rootHash.length !== HASH_SIZE) throw malformed('root hash must be 32 bytes');
  return `${checkpoint.origin}\n${checkpoint.size}\n${checkpoint.rootHash.toString('base64')}\n`;
}

/**
 * Strict parse (emit canonical, parse strictly; research/ledger.md §2.2): decimal without leading
 * zeroes, standard padded base64 of exactly 32 bytes, and no extension lines unless `allowExtensions`.
 */
export function parseCheckpoint(
  text: string,
  options: { allowExtensions?: boolean } = {},
): Checkpoint & { extensions: string[] } {
  if (!text.endsWith('\n')) throw malformed('must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('needs origin, size and root lines');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '') throw malformed('empty origin');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw malformed('size must be decimal without leading zeroes');
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw malformed('size too large');
  if (!isCanonicalBase64(rootText)) throw malformed('root must be standard base64');
  const rootHash = Buffer.from(rootText, 'base64');
  if (rootHash.length !== HASH_SIZE) throw malformed('root hash must be 32 bytes');
  if (extensions.some((line) => line === '')) throw malformed('empty extension line');
  if (extensions.length > 0 && !options.allowExtensions) throw malformed('unexpected extension lines');
  return { origin, size, rootHash, extensions };
}
