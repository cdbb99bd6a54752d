import { VigilError } from '../core/vigil-error.js';

/** An optional ISO 8601 time flag as epoch ms; a bad value is a usage error naming the flag. */
export function isoTimeFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new VigilError('CLI_BAD_DATE', `--${flag}: '${value}' is not an ISO 8601 time`, {
      category: 'input',
    });
  return ms;
}

/** An optional non-negative integer flag. */
export function wholeNumberFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new VigilError('CLI_BAD_NUMBER', `--${flag} must be a non-negative integer`, { category: 'input' });
  return n;
}
