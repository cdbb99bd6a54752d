import { sql, type Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { CustodyStore } from '../custody/custody-store.js';
import type { VigilDatabase } from '../store/database-schema.js';
import { alertRecordId, encodeAlertRecord, NO_SOURCE, type AlertRecord } from '../verify/alert-records.js';

/**
 * Alerts as ledger records (verify/alert-records.ts): what the alert store writes, in the
 * transaction that changes the tables, so that `vigil verify` can hold the tables to them.
 */
export class AlertLedger {
  constructor(
    private readonly custody: CustodyStore,
    private readonly clock: Clock,
  ) {}

  /** Appends `records` of alerts of `source` to `<source>/alerts` inside `trx`. */
  async append(
    trx: Kysely<VigilDatabase>,
    source: string | null | undefined,
    records: readonly AlertRecord[],
  ): Promise<void> {
    if (records.length === 0) return;
    const time = new Date(this.clock.now()).toISOString();
    await this.custody.appendRecordsIn(
      trx,
      source ?? NO_SOURCE,
      'alerts',
      records.map((r) => ({ id: alertRecordId(r), time, body: encodeAlertRecord(r) })),
    );
  }

  /**
   * A store written before alerts were ledgered: every alert with no `raised` record is ledgered
   * now as it stands (raised with the status it was created with, its severity now, then each
   * recorded transition), one transaction per alert. A writer does this at open.
   */
  async ledgerStored(db: Kysely<VigilDatabase>): Promise<number> {
    const raised = db
      .selectFrom('ledger_records')
      .select('record_id')
      .where('kind', '=', 'alerts')
      .where('record_id', 'like', '%:raised');
    const rows = await db
      .selectFrom('alerts')
      .select(['id', 'rule_id', 'severity', 'source'])
      .where(sql<string>`id || ':raised'`, 'not in', raised)
      .orderBy('created_ms')
      .orderBy('id')
      .execute();
    for (const row of rows)
      await db.transaction().execute(async (trx) => {
        const transitions = await trx
          .selectFrom('alert_transitions')
          .selectAll()
          .where('alert_id', '=', row.id)
          .orderBy('seq')
          .execute();
        await this.append(trx, row.source, [
          { type: 'raised', alertId: row.id, ruleId: row.rule_id, severity: row.severity, status: 'open' },
          ...transitions.map((t): AlertRecord => ({
            type: 'transition',
            alertId: row.id,
            seq: Number(t.seq),
            from: t.from_status,
            to: t.to_status,
            by: t.actor,
            atMs: Number(t.at_ms),
            note: t.note,
          })),
        ]);
      });
    return rows.length;
  }
}
