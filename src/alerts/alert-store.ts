import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/vigil-error.js';
import { severitiesAtLeast, type Severity } from '../detect/severity.js';
import type { Detection } from '../detect/detection.js';
import type { Alert, AlertStatus, AlertTransition } from './alert.js';
import { absorbs, alertIdFor, foldRepeat, newAlert } from './alert-dedup.js';
import { canTransition } from './alert-status.js';
import type { AlertsTable, AlertTransitionsTable } from '../store/alert-tables.js';
import type { VigilDatabase } from '../store/database-schema.js';
import type { AlertErrorCode } from './errors.js';

/** Fifteen minutes unless configured: long enough to fold a burst, short enough to re-alert a campaign. */
export const DEFAULT_DEDUP_WINDOW_MS = 15 * 60_000;

export interface RecordResult {
  readonly alert: Alert;
  /** True when this detection opened a new alert (the router only sends new alerts). */
  readonly isNew: boolean;
}

export interface AlertFilter {
  readonly status?: AlertStatus;
  /** Only alerts at least this severe. */
  readonly minSeverity?: Severity;
  readonly limit?: number;
}

const toAlert = (row: Selectable<AlertsTable>, transitions: readonly AlertTransition[]): Alert => ({
  id: row.id,
  ruleId: row.rule_id,
  title: row.title,
  severity: row.severity as Severity,
  entity: {
    type: row.entity_type,
    id: row.entity_id,
    ...(row.entity_display === null ? {} : { display: row.entity_display }),
  },
  description: row.description,
  eventIds: JSON.parse(row.event_ids) as string[],
  dedupKey: row.dedup_key,
  ...(row.source === null ? {} : { source: row.source }),
  status: row.status as AlertStatus,
  count: Number(row.count),
  firstSeenMs: Number(row.first_seen_ms),
  lastSeenMs: Number(row.last_seen_ms),
  createdMs: Number(row.created_ms),
  transitions,
});

const toTransition = (row: Selectable<AlertTransitionsTable>): AlertTransition => ({
  from: row.from_status as AlertStatus,
  to: row.to_status as AlertStatus,
  by: row.actor,
  atMs: Number(row.at_ms),
  ...(row.note === null ? {} : { note: row.note }),
});

/** Alerts in the store: dedup on record, filtered listing, and recorded status transitions. */
export class AlertStore {
  readonly #db: Kysely<VigilDatabase>;
  readonly #clock: Clock;
  readonly #windowMs: number;

  constructor(db: Kysely<VigilDatabase>, options: { clock: Clock; dedupWindowMs?: number }) {
    this.#db = db;
    this.#clock = options.clock;
    this.#windowMs = options.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS;
  }

  /** Stores a detection: folds it into the open alert with its key inside the window, or opens one. */
  async record(detection: Detection): Promise<RecordResult> {
    return this.#db.transaction().execute(async (trx) => {
      const now = this.#clock.now();
      const candidates = await trx
        .selectFrom('alerts')
        .selectAll()
        .where('dedup_key', '=', detection.dedupKey)
        .where('status', '!=', 'resolved')
        .where('first_seen_ms', '>', detection.timeMs - this.#windowMs)
        .where('first_seen_ms', '<', detection.timeMs + this.#windowMs)
        .orderBy('first_seen_ms', 'desc')
        .execute();
      const existing = candidates
        .map((row) => toAlert(row, []))
        .find((a) => absorbs(a, detection, this.#windowMs));
      if (existing) {
        const folded = foldRepeat(existing, detection);
        await trx
          .updateTable('alerts')
          .set({
            count: folded.count,
            first_seen_ms: folded.firstSeenMs,
            last_seen_ms: folded.lastSeenMs,
            event_ids: JSON.stringify(folded.eventIds),
            severity: folded.severity,
            updated_ms: now,
          })
          .where('id', '=', folded.id)
          .execute();
        return { alert: await this.#withTransitions(trx, folded), isNew: false };
      }
      const { n } = await trx
        .selectFrom('alerts')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('dedup_key', '=', detection.dedupKey)
        .executeTakeFirstOrThrow();
      const alert = newAlert(detection, alertIdFor(detection.dedupKey, detection.timeMs, Number(n)), now);
      await trx
        .insertInto('alerts')
        .values({
          id: alert.id,
          rule_id: alert.ruleId,
          title: alert.title,
          severity: alert.severity,
          entity_type: alert.entity.type,
          entity_id: alert.entity.id,
          entity_display: alert.entity.display ?? null,
          description: alert.description,
          event_ids: JSON.stringify(alert.eventIds),
          dedup_key: alert.dedupKey,
          source: alert.source ?? null,
          status: alert.status,
          count: alert.count,
          first_seen_ms: alert.firstSeenMs,
          last_seen_ms: alert.lastSeenMs,
          created_ms: now,
          updated_ms: now,
        })
        .execute();
      return { alert, isNew: true };
    });
  }

  async get(id: string): Promise<Alert | undefined> {
    const row = await this.#db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? this.#withTransitions(this.#db, toAlert(row, [])) : undefined;
  }

  /** Newest activity first. */
  async list(filter: AlertFilter = {}): Promise<Alert[]> {
    let query = this.#db.selectFrom('alerts').selectAll();
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.minSeverity) {
      query = query.where('severity', 'in', severitiesAtLeast(filter.minSeverity));
    }
    const rows = await query
      .orderBy('last_seen_ms', 'desc')
      .orderBy('id')
      .limit(filter.limit ?? 1000)
      .execute();
    const transitions = rows.length
      ? await this.#db
          .selectFrom('alert_transitions')
          .selectAll()
          .where(
            'alert_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('alert_id')
          .orderBy('seq')
          .execute()
      : [];
    return rows.map((row) =>
      toAlert(row, transitions.filter((t) => t.alert_id === row.id).map(toTransition)),
    );
  }

  /** Moves an alert to `to`, recording who and when (Clock time); refuses disallowed moves. */
  async transition(id: string, to: AlertStatus, by: string, note?: string): Promise<Alert> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) {
        throw new VigilError<AlertErrorCode>('ALERT_NOT_FOUND', `no alert with id ${id}`, {
          category: 'input',
          details: { id },
        });
      }
      const from = row.status as AlertStatus;
      if (!canTransition(from, to)) {
        throw new VigilError<AlertErrorCode>(
          'ALERT_INVALID_TRANSITION',
          `alert ${id} is ${from}; it cannot become ${to}`,
          {
            category: 'input',
            details: { id, from, to },
          },
        );
      }
      const now = this.#clock.now();
      const { seq } = await trx
        .selectFrom('alert_transitions')
        .select((eb) => eb.fn.max<number | null>('seq').as('seq'))
        .where('alert_id', '=', id)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('alert_transitions')
        .values({
          alert_id: id,
          seq: Number(seq ?? 0) + 1,
          from_status: from,
          to_status: to,
          actor: by,
          at_ms: now,
          note: note ?? null,
        })
        .execute();
      await trx.updateTable('alerts').set({ status: to, updated_ms: now }).where('id', '=', id).execute();
      return this.#withTransitions(trx, toAlert({ ...row, status: to }, []));
    });
  }

  async #withTransitions(db: Kysely<VigilDatabase>, alert: Alert): Promise<Alert> {
    const rows = await db
      .selectFrom('alert_transitions')
      .selectAll()
      .where('alert_id', '=', alert.id)
      .orderBy('seq')
      .execute();
    return { ...alert, transitions: rows.map(toTransition) };
  }
}
