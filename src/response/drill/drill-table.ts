import { duration } from './drill-runner.js';
import type { DrillCriterion, DrillScore } from './drill-score.js';

/** The score as table rows: criterion, result, verdict, and what is missing (shortened). */
export function scoreRows(score: DrillScore): string[][] {
  return score.criteria.map((c) => [
    c.name,
    result(c),
    c.kind === 'info' ? '' : c.pass ? 'ok' : 'MISSED',
    missing(c),
  ]);
}

function result(c: DrillCriterion): string {
  if (c.kind === 'time') return c.got < 0 ? 'never' : duration(c.got);
  if (c.kind === 'zero') return `${c.got} of ${c.of}`;
  if (c.kind === 'info') return String(c.got);
  return `${c.got}/${c.of}`;
}

function missing(c: DrillCriterion): string {
  if (c.missing.length === 0) return '';
  const shown = c.missing.slice(0, 3).join(', ');
  return c.missing.length > 3 ? `${shown} (+${c.missing.length - 3})` : shown;
}
