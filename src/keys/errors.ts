/** Error codes of the ledger's key files. */
export type KeyErrorCode =
  /** A key file is readable or writable by group or others. */
  | 'KEY_FILE_INSECURE'
  /** A key file does not exist: a verifier never creates one; the message names the file. */
  | 'KEY_FILE_MISSING'
  /** Creating a key would overwrite an existing one. */
  | 'KEY_FILE_EXISTS'
  /** A key file holds something that is not a key of this ledger. */
  | 'KEY_FILE_INVALID'
  /** The key directory may be written by group or others, who could swap the ledger's key. */
  | 'KEY_DIR_INSECURE';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    keys: KeyErrorCode;
  }
}
