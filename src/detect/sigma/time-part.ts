/**
 * Time modifiers (sigma-appendix-modifiers, v2.1.0: minute, hour, day, week, month, year): the field
 * holds a timestamp (ISO 8601 text or epoch milliseconds) and the rule compares one UTC component.
 */
export const TIME_PARTS = ['minute', 'hour', 'day', 'week', 'month', 'year'] as const;
export type TimePart = (typeof TIME_PARTS)[number];

/** ISO 8601 week number (weeks start Monday; week 1 holds the year's first Thursday). */
function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

export function timePart(value: unknown, part: TimePart): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return undefined;
  switch (part) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'week':
      return isoWeek(d);
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
  }
}
