/** Error codes of the command line itself: flags and files given on it. */
export type CliErrorCode =
  | 'CLI_BAD_USAGE'
  | 'CLI_BAD_NUMBER'
  | 'CLI_BAD_DATE'
  | 'CLI_BAD_SOURCE_TYPE'
  | 'CLI_FILE_UNREADABLE'
  /** A file given on the command line is a symlink, FIFO, device or directory: refused unread. */
  | 'CLI_FILE_NOT_REGULAR'
  /** A file given on the command line is over its size limit: refused before it is read. */
  | 'CLI_FILE_TOO_LARGE'
  | 'CLI_OUT_NOT_EMPTY'
  /** `export --out` names a file or a symlink, not a folder. */
  | 'CLI_OUT_NOT_DIRECTORY'
  /** The bundle could not be written where `--out` says (a parent is a file, no permission, disk full). */
  | 'CLI_OUT_UNWRITABLE'
  | 'CLI_BUNDLE_INCOMPLETE';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    cli: CliErrorCode;
  }
}
