import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { AlertDeliveriesTable } from '../store/alert-tables.js';
import type { VigilDatabase } from '../store/database-schema.js';
import type { DeliveryPolicy } from './delivery-policy.js';
import { retryDelayMs } from './delivery-policy.js';

export type DeliveryState = 'pending' | 'delivered' | 'expired';

export const DELIVERY_STATES: readonly DeliveryState[] = ['pending', 'delivered', 'expired'];

/** One alert on its way to one sink. */
export interface Delivery {
  readonly alertId: string;
  readonly sink: string;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly nextAttemptMs: number;
  readonly expiresMs: number;
  readonly createdMs: number;
  readonly deliveredMs?: number;
  readonly lastError?: string;
}

const toDelivery = (row: Selectable<AlertDeliveriesTable>): Delivery => ({
  alertId: row.alert_id,
  sink: row.sink,
  state: row.state as DeliveryState,
  attempts: Number(row.attempts),
  nextAttemptMs: Number(row.next_attempt_ms),
  expiresMs: Number(row.expires_ms),
  createdMs: Number(row.created_ms),
  ...(row.delivered_ms === null ? {} : { deliveredMs: Number(row.delivered_ms) }),
  ...(row.last_error === null ? {} : { lastError: row.last_error }),
});

/**
 * The persistent outbox (issue 14 "Alerts are never lost"): each alert × sink is a row, queued in the
 * transaction that stores the alert, attempted when due, retried with backoff across restarts, and
 * kept until the sink has it or it expires. Time is the injected clock's.
 */
export class AlertOutbox {
  readonly #db: Kysely<VigilDatabase>;
  readonly #clock: Clock;
  readonly #policy: DeliveryPolicy;

  constructor(db: Kysely<VigilDatabase>, options: { clock: Clock; policy: DeliveryPolicy }) {
    this.#db = db;
    this.#clock = options.clock;
    this.#policy = options.policy;
  }

  /**
   * Queues `alertId` for each sink, due now; `db` is the transaction storing the alert. An alert
   * queued again (it escalated) is sent again: its row starts over.
   */
  async enqueue(db: Kysely<VigilDatabase>, alertId: string, sinks: readonly string[]): Promise<void> {
    if (sinks.length === 0) return;
    const now = this.#clock.now();
    const fresh = {
      state: 'pending',
      attempts: 0,
      next_attempt_ms: now,
      expires_ms: now + this.#policy.expireAfterMs,
      created_ms: now,
      delivered_ms: null,
      last_error: null,
    };
    await db
      .insertInto('alert_deliveries')
      .values(sinks.map((sink) => ({ alert_id: alertId, sink, ...fresh })))
      .onConflict((oc) => oc.columns(['alert_id', 'sink']).doUpdateSet(fresh))
      .execute();
  }

  /** Pending deliveries whose next attempt is due, oldest first. */
  async due(limit = 500): Promise<Delivery[]> {
    const rows = await this.#db
      .selectFrom('alert_deliveries')
      .selectAll()
      .where('state', '=', 'pending')
      .where('next_attempt_ms', '<=', this.#clock.now())
      .orderBy('next_attempt_ms')
      .orderBy('alert_id')
      .orderBy('sink')
      .limit(limit)
      .execute();
    return rows.map(toDelivery);
  }

  async delivered(delivery: Delivery): Promise<void> {
    await this.#update(delivery, {
      state: 'delivered',
      attempts: delivery.attempts + 1,
      delivered_ms: this.#clock.now(),
    });
  }

  /** Records a failed attempt: the next one after the backoff, or expired once past its deadline. */
  async failed(delivery: Delivery, reason: string): Promise<Delivery> {
    const now = this.#clock.now();
    const attempts = delivery.attempts + 1;
    const next = now + retryDelayMs(this.#policy, attempts);
    const state: DeliveryState = next >= delivery.expiresMs ? 'expired' : 'pending';
    await this.#update(delivery, { state, attempts, next_attempt_ms: next, last_error: reason });
    return { ...delivery, state, attempts, nextAttemptMs: next, lastError: reason };
  }

  /** Pending deliveries past their deadline become expired; returns them. */
  async expireOverdue(): Promise<Delivery[]> {
    const now = this.#clock.now();
    const rows = await this.#db
      .selectFrom('alert_deliveries')
      .selectAll()
      .where('state', '=', 'pending')
      .where('expires_ms', '<=', now)
      .execute();
    if (rows.length === 0) return [];
    await this.#db
      .updateTable('alert_deliveries')
      .set({ state: 'expired' })
      .where('state', '=', 'pending')
      .where('expires_ms', '<=', now)
      .execute();
    return rows.map((r) => ({ ...toDelivery(r), state: 'expired' }));
  }

  /** The outbox, newest first (`vigil alerts deliveries`). */
  async list(filter: { state?: DeliveryState; limit?: number } = {}): Promise<Delivery[]> {
    let query = this.#db.selectFrom('alert_deliveries').selectAll();
    if (filter.state) query = query.where('state', '=', filter.state);
    const rows = await query
      .orderBy('created_ms', 'desc')
      .orderBy('alert_id')
      .orderBy('sink')
      .limit(filter.limit ?? 1000)
      .execute();
    return rows.map(toDelivery);
  }

  /** How many deliveries wait (pending, due or not). */
  async pendingCount(): Promise<number> {
    const { n } = await this.#db
      .selectFrom('alert_deliveries')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  async #update(
    delivery: Delivery,
    set: Partial<Omit<AlertDeliveriesTable, 'alert_id' | 'sink'>>,
  ): Promise<void> {
    await this.#db
      .updateTable('alert_deliveries')
      .set(set)
      .where('alert_id', '=', delivery.alertId)
      .where('sink', '=', delivery.sink)
      .execute();
  }
}
