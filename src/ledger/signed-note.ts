import { VigilError } from '../core/vigil-error.js';
import type { LedgerErrorCode } from './errors.js';
import { LONE_SURROGATE } from './jcs.js';
import { hex8, isCanonicalBase64, isValidKeyName } from './note-key.js';
import type { NoteSigner, NoteVerifier } from './note-key.js';

/** C2SP signed-note: signature lines start with U+2014 EM DASH and a space. */
const SIGNATURE_PREFIX = '\u2014 ';
/** golang.org/x/mod/sumdb/note rejects more than 100 signature lines; C2SP requires accepting 16. */
const MAX_SIGNATURES = 100;

export interface NoteSignature {
  name: string;
  keyId: number;
  /** base64(key ID || signature), as on the line. */
  base64: string;
}

export interface OpenedNote {
  /** The signed text, ending in "\n". */
  text: string;
  /** Signatures verified by a known key, in note order. */
  signatures: NoteSignature[];
  /** Signatures from keys the caller did not name (ignored, as C2SP requires). */
  unverified: NoteSignature[];
}

function malformed(reason: string): VigilError<LedgerErrorCode> {
  return new VigilError('LEDGER_NOTE_MALFORMED', `malformed note: ${reason}`, {
    category: 'check',
    details: { reason },
  });
}

/** C2SP signed-note: UTF-8 with no ASCII control characters other than newline. */
function checkText(text: string): void {
  if (LONE_SURROGATE.test(text)) throw malformed('not valid UTF-8');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw malformed('control character');
}

/** Signs `text` (which must end in "\n") and returns the complete note. */
export function signNote(text: string, ...signers: NoteSigner[]): string {
  if (!text.endsWith('\n')) throw malformed('text must end with a newline');
  checkText(text);
  if (signers.length === 0) throw malformed('a note needs at least one signature');
  const message = Buffer.from(text, 'utf8');
  const lines = signers.map((signer) => {
    const id = Buffer.alloc(4);
    id.writeUInt32BE(signer.keyId);
    const payload = Buffer.concat([id, signer.sign(message)]).toString('base64');
    return `${SIGNATURE_PREFIX}${signer.name} ${payload}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

/**
 * Opens a C2SP signed note with the same outcomes as Go's note.Open: malformed notes are rejected;
 * lines from unknown keys are ignored; a known key whose signature fails rejects the whole note; at
 * least one known key must have signed.
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  let message: string;
  if (typeof note === 'string') {
    message = note;
  } else {
    try {
      message = new TextDecoder('utf-8', { fatal: true }).decode(note);
    } catch {
      throw malformed('not valid UTF-8');
    }
  }
  checkText(message);
  // The separator is the LAST blank line: the text itself may contain blank lines.
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no signature block');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw malformed('signature block must end with a newline');

  const known = new Map(verifiers.map((v) => [`${v.name}+${hex8(v.keyId)}`, v]));
  const textBytes = Buffer.from(text, 'utf8');
  const opened: OpenedNote = { text, signatures: [], unverified: [] };
  const seen = new Set<string>();
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw malformed('too many signatures');
  for (const line of lines) {
    if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed('not a signature line');
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = space < 0 ? rest : rest.slice(0, space);
    const b64 = space < 0 ? '' : rest.slice(space + 1);
    if (!isValidKeyName(name) || b64 === '' || !isCanonicalBase64(b64)) throw malformed('bad signature line');
    const raw = Buffer.from(b64, 'base64');
    if (raw.length < 5) throw malformed('signature too short');
    const signature: NoteSignature = { name, keyId: raw.readUInt32BE(0), base64: b64 };
    const key = `${name}+${hex8(signature.keyId)}`;
    const verifier = known.get(key);
    // Go drops repeated identical unknown lines and repeated lines by one known key.
    const dedupe = verifier ? key : `line:${line}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    if (!verifier) {
      opened.unverified.push(signature);
      continue;
    }
    if (!verifier.verify(textBytes, raw.subarray(4))) {
      throw new VigilError<LedgerErrorCode>(
        'LEDGER_NOTE_SIGNATURE_INVALID',
        `invalid signature for key ${key}`,
        {
          category: 'check',
          details: { key },
        },
      );
    }
    opened.signatures.push(signature);
  }
  if (opened.signatures.length === 0) {
    throw new VigilError<LedgerErrorCode>('LEDGER_NOTE_UNVERIFIED', 'note has no verifiable signatures', {
      category: 'check',
      details: { unverified: opened.unverified.map((s) => `${s.name}+${hex8(s.keyId)}`) },
    });
  }
  return opened;
}
