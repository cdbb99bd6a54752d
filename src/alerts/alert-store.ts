import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/vigil-error.js';
import { severitiesAtLeast, type Severity } from '../detect/severity.js';
import type { Detection } from '../detect/detection.js';
import type { Alert, AlertReason, AlertStatus, AlertTransition } from './alert.js';
import { absorbs, alertIdFor, foldRepeat, newAlert } from './alert-dedup.js';
import { canTransition } from './alert-status.js';
import type { AlertReasonsTable, AlertsTable, AlertTransitionsTable } from '../store/alert-tables.js';
import type { VigilDatabase } from '../store/database-schema.js';
import type { AlertErrorCode } from './errors.js';
import type { AlertLedger } from './alert-ledger.js';

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

const toAlert = (
  row: Selectable<AlertsTable>,
  transitions: readonly AlertTransition[],
  reasons: readonly AlertReason[],
): Alert => ({
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
  reasons,
  heldBack: Number(row.held_back) === 1,
});

const toReason = (row: Selectable<AlertReasonsTable>): AlertReason => ({
  ruleId: row.rule_id,
  title: row.title,
  description: row.description,
  severity: row.severity as Severity,
  dedupKey: row.dedup_key,
});

const toTransition = (row: Selectable<AlertTransitionsTable>): AlertTransition => ({
  from: row.from_status as AlertStatus,
  to: row.to_status as AlertStatus,
  by: row.actor,
  atMs: Number(row.at_ms),
  ...(row.note === null ? {} : { note: row.note }),
});

/** What a new alert needs beyond its detection: held back from sinks, and what to do in its transaction. */
export interface RecordOptions {
  readonly heldBack?: boolean;
  /** Runs in the transaction that stores a NEW alert (the outbox queues its deliveries there). */
  readonly onNew?: (db: Kysely<VigilDatabase>, alert: Alert) => Promise<void>;
  /** Runs in the transaction that folds a detection into an alert and makes it more severe. */
  readonly onEscalated?: (db: Kysely<VigilDatabase>, alert: Alert) => Promise<void>;
}

const reasonRows = (alert: Alert, from: number) =>
  alert.reasons.slice(from).map((r, i) => ({
    alert_id: alert.id,
    rule_id: r.ruleId,
    title: r.title,
    description: r.description,
    severity: r.severity,
    dedup_key: r.dedupKey,
    seq: from + i,
  }));

/** Alerts in the store: grouping and dedup on record, filtered listing, and recorded status transitions. */
export class AlertStore {
  readonly #db: Kysely<VigilDatabase>;
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #ledger: AlertLedger | undefined;

  /**
   * With `ledger` (every writer the runtime opens), each alert raised, each rise in its severity and
   * each transition is ledgered in `<source>/alerts` in the same transaction (alert-ledger.ts), so
   * `vigil verify` finds an alert wiped or a status changed behind Vigil's back.
   */
  constructor(
    db: Kysely<VigilDatabase>,
    options: { clock: Clock; dedupWindowMs?: number; ledger?: AlertLedger },
  ) {
    this.#db = db;
    this.#clock = options.clock;
    this.#windowMs = options.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS;
    this.#ledger = options.ledger;
  }

  /**
   * Stores a detection: folds it into the open alert it repeats or whose story it tells (same entity,
   * a shared event; alert-dedup.ts) inside the window, or opens a new alert.
   */
  async record(detection: Detection, options: RecordOptions = {}): Promise<RecordResult> {
    return this.#db.transaction().execute(async (trx) => {
      const now = this.#clock.now();
      const byReason = trx
        .selectFrom('alert_reasons')
        .select('alert_id')
        .where('dedup_key', '=', detection.dedupKey);
      const rows = await trx
        .selectFrom('alerts')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb('id', 'in', byReason),
            eb.and([
              eb('entity_type', '=', detection.entity.type),
              eb('entity_id', '=', detection.entity.id),
            ]),
          ]),
        )
        .where('status', '!=', 'resolved')
        .where('first_seen_ms', '>', detection.timeMs - this.#windowMs)
        .where('first_seen_ms', '<', detection.timeMs + this.#windowMs)
        .orderBy('first_seen_ms', 'desc')
        .orderBy('id')
        .execute();
      const candidates = await this.#hydrate(trx, rows);
      const existing = candidates.find((a) => absorbs(a, detection, this.#windowMs));
      if (existing) {
        const folded = foldRepeat(existing, detection);
        await trx
          .updateTable('alerts')
          .set({
            rule_id: folded.ruleId,
            title: folded.title,
            description: folded.description,
            count: folded.count,
            first_seen_ms: folded.firstSeenMs,
            last_seen_ms: folded.lastSeenMs,
            event_ids: JSON.stringify(folded.eventIds),
            severity: folded.severity,
            updated_ms: now,
          })
          .where('id', '=', folded.id)
          .execute();
        const added = reasonRows(folded, existing.reasons.length);
        if (added.length) await trx.insertInto('alert_reasons').values(added).execute();
        if (folded.severity !== existing.severity) {
          await this.#ledger?.append(trx, folded.source, [
            { type: 'severity', alertId: folded.id, severity: folded.severity },
          ]);
          await options.onEscalated?.(trx, folded);
        }
        return { alert: folded, isNew: false };
      }
      const { n } = await trx
        .selectFrom('alerts')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('dedup_key', '=', detection.dedupKey)
        .executeTakeFirstOrThrow();
      const id = alertIdFor(detection.dedupKey, detection.timeMs, Number(n));
      const alert = newAlert(detection, id, now, options.heldBack === true);
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
          held_back: alert.heldBack ? 1 : 0,
        })
        .execute();
      await trx.insertInto('alert_reasons').values(reasonRows(alert, 0)).execute();
      await this.#ledger?.append(trx, alert.source, [
        {
          type: 'raised',
          alertId: alert.id,
          ruleId: alert.ruleId,
          severity: alert.severity,
          status: alert.status,
        },
      ]);
      await options.onNew?.(trx, alert);
      return { alert, isNew: true };
    });
  }

  async get(id: string): Promise<Alert | undefined> {
    const row = await this.#db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? (await this.#hydrate(this.#db, [row]))[0] : undefined;
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
    return this.#hydrate(this.#db, rows);
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
      const next = Number(seq ?? 0) + 1;
      await trx
        .insertInto('alert_transitions')
        .values({
          alert_id: id,
          seq: next,
          from_status: from,
          to_status: to,
          actor: by,
          at_ms: now,
          note: note ?? null,
        })
        .execute();
      await this.#ledger?.append(trx, row.source, [
        { type: 'transition', alertId: id, seq: next, from, to, by, atMs: now, note: note ?? null },
      ]);
      await trx.updateTable('alerts').set({ status: to, updated_ms: now }).where('id', '=', id).execute();
      return (await this.#hydrate(trx, [{ ...row, status: to }]))[0]!;
    });
  }

  /** Rows with their transitions and reasons (an alert stored before reasons existed has its own). */
  async #hydrate(db: Kysely<VigilDatabase>, rows: readonly Selectable<AlertsTable>[]): Promise<Alert[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [transitions, reasons] = await Promise.all([
      db
        .selectFrom('alert_transitions')
        .selectAll()
        .where('alert_id', 'in', ids)
        .orderBy('alert_id')
        .orderBy('seq')
        .execute(),
      db
        .selectFrom('alert_reasons')
        .selectAll()
        .where('alert_id', 'in', ids)
        .orderBy('alert_id')
        .orderBy('seq')
        .execute(),
    ]);
    return rows.map((row) =>
      toAlert(
        row,
        transitions.filter((t) => t.alert_id === row.id).map(toTransition),
        reasons.filter((r) => r.alert_id === row.id).map(toReason),
      ),
    );
  }
}
