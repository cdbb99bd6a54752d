import { VigilError } from '../core/vigil-error.js';
import { isCanonicalBase64 } from '../ledger/note-key.js';
import { HASH_SIZE } from '../ledger/merkle-hash.js';
import type { WitnessErrorCode } from './errors.js';

/**
 * The c2sp.org/tlog-witness v1.0.0 `add-checkpoint` wire format, both directions, parsed strictly:
 *   request  "old <size>\n" (<base64 hash>\n){0,63} "\n" <signed checkpoint note>
 *   200      one or more note signature lines, "— <name> <base64>\n" (cosignatures)
 *   409      "<size>\n", Content-Type text/x.tlog.size (the size the witness last cosigned)
 */
export interface AddCheckpointRequest {
  readonly oldSize: number;
  /** RFC 6962 §2.1.2 consistency proof from `oldSize` to the checkpoint's size; empty from 0. */
  readonly proof: readonly Buffer[];
  /** The signed checkpoint note, verbatim (it may carry several signatures). */
  readonly checkpoint: string;
}

export const ADD_CHECKPOINT_PATH = '/add-checkpoint';
/** tlog-witness: "The client MUST NOT send more than 63 consistency proof lines." */
export const MAX_PROOF_LINES = 63;
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';
const SIGNATURE_PREFIX = '\u2014 ';
const DECIMAL = /^(0|[1-9][0-9]*)$/;

function malformed(what: string, reason: string): VigilError<WitnessErrorCode> {
  return new VigilError('WITNESS_MESSAGE_MALFORMED', `tlog-witness ${what}: ${reason}`, {
    category: 'input',
    details: { what, reason },
  });
}

function parseSize(text: string, what: string): number {
  const size = Number(text);
  if (!DECIMAL.test(text) || !Number.isSafeInteger(size))
    throw malformed(what, 'size must be a decimal without leading zeroes');
  return size;
}

export function formatAddCheckpointRequest(request: AddCheckpointRequest): string {
  if (request.proof.length > MAX_PROOF_LINES) throw new TypeError('consistency proof longer than 63 hashes');
  const proof = request.proof.map((h) => `${h.toString('base64')}\n`).join('');
  return `old ${request.oldSize}\n${proof}\n${request.checkpoint}`;
}

/** The witness side: the request body as received (bytes, so invalid UTF-8 is refused, not replaced). */
export function parseAddCheckpointRequest(body: Uint8Array): AddCheckpointRequest {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw malformed('request', 'not valid UTF-8');
  }
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw malformed('request', 'no empty line before the checkpoint');
  const [oldLine, ...proofLines] = text.slice(0, blank).split('\n') as [string, ...string[]];
  if (!oldLine.startsWith('old ')) throw malformed('request', 'the first line must be "old <size>"');
  const oldSize = parseSize(oldLine.slice(4), 'request');
  if (proofLines.length > MAX_PROOF_LINES) throw malformed('request', 'more than 63 consistency proof lines');
  const proof = proofLines.map((line, i) => {
    if (!isCanonicalBase64(line)) throw malformed('request', `proof line ${i + 1} is not standard base64`);
    const hash = Buffer.from(line, 'base64');
    if (hash.length !== HASH_SIZE) throw malformed('request', `proof line ${i + 1} is not a 32-byte hash`);
    return hash;
  });
  const checkpoint = text.slice(blank + 2);
  if (checkpoint === '') throw malformed('request', 'the checkpoint is missing');
  return { oldSize, proof, checkpoint };
}

/** The client side of a 200: the cosignature lines, each ending in "\n" (at least one). */
export function parseCosignatureLines(body: string): string[] {
  if (body === '' || !body.endsWith('\n'))
    throw malformed('response', 'must be signature lines ending in a newline');
  const lines = body.slice(0, -1).split('\n');
  for (const line of lines) {
    if (!line.startsWith(SIGNATURE_PREFIX) || line.split(' ').length !== 3)
      throw malformed('response', 'every line must be "— <name> <base64 signature>"');
  }
  return lines.map((line) => `${line}\n`);
}

/** The client side of a 409: the size the witness last cosigned for this origin. */
export function parseTlogSize(body: string): number {
  if (!body.endsWith('\n')) throw malformed('409 response', 'must be "<size>\\n"');
  return parseSize(body.slice(0, -1), '409 response');
}
