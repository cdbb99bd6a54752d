import { VigilError } from '../core/vigil-error.js';
import { rfc3339Ms } from '../sources/rfc3339.js';

/**
 * The time forms a flag accepts: an RFC 3339 date-time with its offset (`2026-03-10T12:00:00Z`,
 * `2026-03-10T14:00:00.5+02:00`), or a full date (`2026-03-10`, read as 00:00 UTC). Anything else
 * is refused rather than guessed: `Date.parse` reads `1` as the year 2001 and a time without an
 * offset in the machine's own zone. The one RFC 3339 parser (sources/rfc3339.ts) is the provider's.
 */
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An optional time flag as epoch ms, in the forms above; anything else is an input error naming the flag. */
export function isoTimeFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = rfc3339Ms(DATE.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms))
    throw new VigilError(
      'CLI_BAD_DATE',
      `--${flag}: '${value}' is not a time: give an RFC 3339 time with its offset (2026-03-10T12:00:00Z) or a date (2026-03-10, read as UTC)`,
      { category: 'input', details: { flag, value } },
    );
  return ms;
}

/** An optional integer flag from `min` up to the largest integer a number holds exactly. */
function integerFlag(flag: string, value: string | undefined, min: number, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw new VigilError(
      'CLI_BAD_NUMBER',
      `--${flag}: '${value}' is not ${what} (at most ${Number.MAX_SAFE_INTEGER})`,
      { category: 'input', details: { flag, value } },
    );
  return n;
}

/** An optional non-negative integer flag. */
export function wholeNumberFlag(flag: string, value: string | undefined): number | undefined {
  return integerFlag(flag, value, 0, 'a non-negative integer');
}

/** An optional positive integer flag (a count, a limit). */
export function positiveIntegerFlag(flag: string, value: string | undefined): number | undefined {
  return integerFlag(flag, value, 1, 'a positive integer');
}
