/**
 * Stable error codes of the ledger core. Callers (custody, `vigil verify`, bundle checks) branch on
 * these codes; messages are for people only.
 */
export type LedgerErrorCode =
  /** A value RFC 8785 cannot represent (NaN, Infinity, lone surrogate, bigint, function, ...). */
  | 'LEDGER_JCS_UNSUPPORTED_VALUE'
  /** Leaf envelope bytes are not a canonical, well-formed version 1 or 2 envelope. */
  | 'LEDGER_ENVELOPE_INVALID'
  /** An index or size is out of range (negative, unsafe integer, index >= size, old > new). */
  | 'LEDGER_TREE_SIZE_INVALID'
  /** A hash reader did not return a node a proof or root needs. */
  | 'LEDGER_NODE_MISSING'
  | 'LEDGER_INCLUSION_PROOF_INVALID'
  | 'LEDGER_CONSISTENCY_PROOF_INVALID'
  /** C2SP signed-note syntax violated (Go note.Open's "malformed note"). */
  | 'LEDGER_NOTE_MALFORMED'
  /** No signature from a known key (Go's UnverifiedNoteError). */
  | 'LEDGER_NOTE_UNVERIFIED'
  /** A known key's signature does not verify (Go's InvalidSignatureError). */
  | 'LEDGER_NOTE_SIGNATURE_INVALID'
  /** A verifier or signer key string is malformed or its key ID does not match. */
  | 'LEDGER_KEY_INVALID'
  | 'LEDGER_CHECKPOINT_MALFORMED'
  | 'LEDGER_PROOF_JSON_INVALID'
  /** A c2sp.org/tlog-proof@v1 file is malformed. */
  | 'LEDGER_TLOG_PROOF_MALFORMED';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    ledger: LedgerErrorCode;
  }
}
