import type { Kysely } from 'kysely';
import { VigilError } from '../core/vigil-error.js';
import { eventsById } from '../custody/events-by-id.js';
import type { VigilDatabase } from '../store/database-schema.js';
import type { Alert } from './alert.js';
import type { AlertStore } from './alert-store.js';
import type { AlertErrorCode } from './errors.js';
import { summariseEvent, type EventSummary } from './event-summary.js';

/** An alert with its triggering events, summarised from custody (`vigil alerts show`). */
export interface AlertDetail {
  readonly alert: Alert;
  readonly events: readonly EventSummary[];
  /** Event ids the alert names that the store does not hold. */
  readonly missing: readonly string[];
}

export async function alertDetail(
  store: AlertStore,
  db: Kysely<VigilDatabase>,
  id: string,
): Promise<AlertDetail> {
  const alert = await store.get(id);
  if (!alert)
    throw new VigilError<AlertErrorCode>('ALERT_NOT_FOUND', `no alert with id ${id}`, {
      category: 'input',
      details: { id },
    });
  const stored = await eventsById(db, alert.eventIds, alert.source);
  const found = new Set(stored.map((e) => e.eventId));
  return {
    alert,
    events: stored.map((e) => summariseEvent(e.eventId, e.raw)),
    missing: alert.eventIds.filter((e) => !found.has(e)),
  };
}
