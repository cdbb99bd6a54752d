/** Error codes of the Sigma engine (STYLE.md habit 6). */
export type SigmaErrorCode =
  /** A rule document breaks the Sigma 2.1 specification; details name file, line and problem. */
  | 'SIGMA_INVALID_RULE'
  /** A `%name%` placeholder used with `|expand` has no configured value. */
  | 'SIGMA_UNRESOLVED_PLACEHOLDER'
  /** A rule file or folder could not be read. */
  | 'SIGMA_READ_FAILED';

/** Thrown by the compiler; the loader adds file and line (the compiler knows only the YAML path). */
export class SigmaProblem extends Error {
  constructor(
    message: string,
    readonly path: readonly (string | number)[],
    readonly code: SigmaErrorCode = 'SIGMA_INVALID_RULE',
  ) {
    super(message);
  }
}

declare module '../../core/vigil-error.js' {
  interface ErrorCodeRegistry {
    sigma: SigmaErrorCode;
  }
}
