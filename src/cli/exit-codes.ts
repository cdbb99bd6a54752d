import { isVigilError } from '../core/vigil-error.js';

/** DESIGN.md "CLI": exit 0 success, 1 a check failed, 2 bad usage or input. */
export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_USAGE = 2;

/** The one place an error becomes an exit code. */
export function exitCodeFor(error: unknown): number {
  if (isVigilError(error)) return error.category === 'input' ? EXIT_USAGE : EXIT_CHECK_FAILED;
  return EXIT_CHECK_FAILED;
}
