import { VigilError } from '../core/vigil-error.js';
import { formatCheckpoint, parseCheckpoint } from './checkpoint.js';
import type { Checkpoint } from './checkpoint.js';
import type { LedgerErrorCode } from './errors.js';
import type { NoteSigner, NoteVerifier } from './note-key.js';
import { openNote, signNote } from './signed-note.js';
import type { OpenedNote } from './signed-note.js';

/** c2sp.org/tlog-checkpoint: the log's key name SHOULD equal the origin; we require it. */
export function signCheckpoint(checkpoint: Checkpoint, signer: NoteSigner): string {
  if (signer.name !== checkpoint.origin) {
    throw new VigilError<LedgerErrorCode>(
      'LEDGER_KEY_INVALID',
      'signing key name must equal the checkpoint origin',
      {
        category: 'internal',
        details: { origin: checkpoint.origin, key: signer.name },
      },
    );
  }
  return signNote(formatCheckpoint(checkpoint), signer);
}

/**
 * Opens a signed checkpoint: the log key must have signed it (witness keys among `verifiers` may add
 * more), and the origin line must equal the log key's name.
 */
export function openCheckpoint(
  note: string,
  logVerifier: NoteVerifier,
  others: readonly NoteVerifier[] = [],
): Checkpoint & { note: OpenedNote } {
  const opened = openNote(note, [logVerifier, ...others]);
  const byLog = opened.signatures.some((s) => s.name === logVerifier.name && s.keyId === logVerifier.keyId);
  if (!byLog) {
    throw new VigilError<LedgerErrorCode>('LEDGER_NOTE_UNVERIFIED', 'checkpoint not signed by the log key', {
      category: 'check',
    });
  }
  const { origin, size, rootHash } = parseCheckpoint(opened.text);
  if (origin !== logVerifier.name) {
    throw new VigilError<LedgerErrorCode>(
      'LEDGER_CHECKPOINT_MALFORMED',
      'checkpoint origin differs from the log key name',
      {
        category: 'check',
        details: { origin, key: logVerifier.name },
      },
    );
  }
  return { origin, size, rootHash, note: opened };
}
