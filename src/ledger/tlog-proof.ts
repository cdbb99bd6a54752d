import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';
import { HASH_SIZE } from './merkle-hash.js';

/**
 * c2sp.org/tlog-proof@v1: an offline proof that an entry is in a log, as one text file
 * (`.tlog-proof`). Vigil's evidence bundles carry one per event, with the leaf envelope as the
 * `extra` data: it is not authenticated by itself, but its leaf hash must pass the inclusion proof.
 */
export interface TlogProof {
  /** Opaque application data (Vigil: the leaf envelope bytes). */
  readonly extra?: Buffer;
  readonly index: number;
  /** From the leaf's sibling up to the root's child (RFC 6962 §2.1.1). */
  readonly proof: readonly Buffer[];
  /** The signed checkpoint note, verbatim, cosignatures included. */
  readonly checkpoint: string;
}

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function malformed(reason: string): VigilError<LedgerErrorCode> {
  return new VigilError('LEDGER_TLOG_PROOF_MALFORMED', `tlog-proof: ${reason}`, {
    category: 'input',
    details: { reason },
  });
}

function strictBase64(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  if (!BASE64.test(text) || bytes.toString('base64') !== text)
    throw malformed(`${what} is not standard base64`);
  return bytes;
}

export function formatTlogProof(p: TlogProof): string {
  const lines = [TLOG_PROOF_HEADER];
  if (p.extra !== undefined) lines.push(`extra ${p.extra.toString('base64')}`);
  lines.push(`index ${p.index}`, ...p.proof.map((h) => h.toString('base64')));
  return lines.join('\n') + '\n\n' + p.checkpoint;
}

/** Strict parse: exact header, canonical decimal index, 32-byte hashes, a checkpoint after one blank line. */
export function parseTlogProof(text: string): TlogProof {
  const split = text.indexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the checkpoint');
  const lines = text.slice(0, split).split('\n');
  const checkpoint = text.slice(split + 2);
  if (checkpoint === '') throw malformed('the checkpoint is missing');
  if (lines.shift() !== TLOG_PROOF_HEADER) throw malformed(`the first line must be ${TLOG_PROOF_HEADER}`);
  let extra: Buffer | undefined;
  if (lines[0]?.startsWith('extra ')) extra = strictBase64(lines.shift()!.slice('extra '.length), 'extra');
  const indexLine = lines.shift() ?? '';
  const digits = /^index (0|[1-9][0-9]*)$/.exec(indexLine)?.[1];
  if (digits === undefined || !Number.isSafeInteger(Number(digits)))
    throw malformed(`expected "index <decimal>", got ${JSON.stringify(indexLine.slice(0, 40))}`);
  const proof = lines.map((line, i) => {
    const hash = strictBase64(line, `proof hash ${i + 1}`);
    if (hash.length !== HASH_SIZE)
      throw malformed(`proof hash ${i + 1} is ${hash.length} bytes, not ${HASH_SIZE}`);
    return hash;
  });
  return { ...(extra === undefined ? {} : { extra }), index: Number(digits), proof, checkpoint };
}
