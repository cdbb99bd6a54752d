/** Error codes of the command line itself: flags and files given on it. */
export type CliErrorCode =
  | 'CLI_BAD_USAGE'
  | 'CLI_BAD_NUMBER'
  | 'CLI_BAD_DATE'
  | 'CLI_BAD_EVENT'
  | 'CLI_BAD_SOURCE_TYPE'
  | 'CLI_FILE_UNREADABLE'
  | 'CLI_OUT_NOT_EMPTY'
  | 'CLI_BUNDLE_INCOMPLETE';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    cli: CliErrorCode;
  }
}
