/** Error codes of vigil.yaml and the secrets it refers to. */
export type ConfigErrorCode =
  /** vigil.yaml is not valid YAML or breaks the schema; the message names the file and the key path. */
  | 'CONFIG_INVALID'
  /** `vigil config check` was given a file that is not there or cannot be read. */
  | 'CONFIG_FILE_MISSING'
  /** A secret's environment variable is unset, or its file is missing, unreadable or readable by others. */
  | 'CONFIG_SECRET_UNAVAILABLE'
  | 'CONFIG_SOURCE_EXISTS'
  | 'CONFIG_SOURCE_UNKNOWN';

declare module '../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    config: ConfigErrorCode;
  }
}
