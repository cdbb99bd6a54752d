import { isVigilError, type ErrorCategory } from './vigil-error.js';

/** What an error means to a caller outside the process: an exit code and an HTTP status. */
export interface ErrorOutcome {
  /** DESIGN "CLI": 1 a check failed or something outside failed, 2 bad usage or input. */
  readonly exitCode: 1 | 2;
  readonly httpStatus: number;
}

/** The one mapping from an error's category to how the CLI exits and how the HTTP API answers. */
const OUTCOMES: Readonly<Record<ErrorCategory, ErrorOutcome>> = {
  input: { exitCode: 2, httpStatus: 400 },
  check: { exitCode: 1, httpStatus: 409 },
  external: { exitCode: 1, httpStatus: 502 },
  internal: { exitCode: 1, httpStatus: 500 },
};

export function errorOutcome(error: unknown): ErrorOutcome {
  return OUTCOMES[isVigilError(error) ? error.category : 'internal'];
}
