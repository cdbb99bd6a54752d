// RFC 3339 §5.6 `date-time`, upper-case T and Z as providers send them; fraction up to nanoseconds.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * Epoch milliseconds of an RFC 3339 date-time, or NaN for anything else. `Date.parse` is not a
 * validator: it reads "1" as 2001 and accepts RFC 2822 text and 31 February, and a provider's time
 * moves the collector's cursor (issue 19). Leap seconds (`:60`) are refused; fractions below a
 * millisecond are dropped. Runs once per ingested event.
 */
export function rfc3339Ms(text: string): number {
  const m = DATE_TIME.exec(text);
  if (!m) return NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1) return NaN;
  if (day > (month === 2 && isLeap(year) ? 29 : DAYS[month - 1]!)) return NaN;
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  let offset = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return NaN;
    offset = (m[8] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  let utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC reads years 0–99 as 1900–1999.
  if (year < 100) utc = new Date(utc).setUTCFullYear(year);
  return utc - offset;
}
