import { errorOutcome } from '../core/error-outcome.js';

/** DESIGN "CLI": exit 0 success, 1 a check failed, 2 bad usage or input. */
export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_USAGE = 2;

/** An error's exit code, from the one mapping in core/error-outcome.ts. */
export function exitCodeFor(error: unknown): number {
  return errorOutcome(error).exitCode;
}
