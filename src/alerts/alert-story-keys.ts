import type { Kysely } from 'kysely';
import type { VigilDatabase } from '../store/database-schema.js';
import type { Alert } from './alert.js';

/** Sessions the provider writes when it has none: never a key, or every such alert is one story. */
const NO_SESSION = new Set(['unknown', 'null', '']);
const BATCH = 500;

/**
 * The grouping keys of each alert's triggering events (alert-grouping.ts): who acted
 * (`actor:<id>`), in which session (`session:<root session id>`, else the session id) and on which
 * support case (`case:<number>`, from `debugContext.debugData.caseNumber`). Read from the stored
 * events; an event the store no longer holds adds nothing.
 */
export async function alertStoryKeys(
  db: Kysely<VigilDatabase>,
  alerts: readonly Alert[],
): Promise<(alert: Alert) => readonly string[]> {
  const ids = [...new Set(alerts.flatMap((a) => a.eventIds))];
  const keysOfEvent = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const rows = await db
      .selectFrom('events')
      .select(['provider_id', 'actor_id', 'session_id', 'root_session_id', 'raw'])
      .where('provider_id', 'in', ids.slice(i, i + BATCH))
      .execute();
    for (const row of rows) {
      const keys: string[] = [];
      if (row.actor_id) keys.push(`actor:${row.actor_id}`);
      const session = [row.root_session_id, row.session_id].find((s) => s !== null && !NO_SESSION.has(s));
      if (session) keys.push(`session:${session}`);
      const supportCase = caseNumber(row.raw);
      if (supportCase) keys.push(`case:${supportCase}`);
      keysOfEvent.set(row.provider_id, keys);
    }
  }
  return (alert) => [...new Set(alert.eventIds.flatMap((id) => keysOfEvent.get(id) ?? []))];
}

function caseNumber(raw: string): string | undefined {
  if (!raw.includes('caseNumber')) return undefined;
  try {
    const data = (JSON.parse(raw) as { debugContext?: { debugData?: { caseNumber?: unknown } } }).debugContext
      ?.debugData?.caseNumber;
    return typeof data === 'string' && data !== ''
      ? data
      : typeof data === 'number'
        ? String(data)
        : undefined;
  } catch {
    return undefined;
  }
}
