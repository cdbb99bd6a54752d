import { canTransition, isAlertStatus } from '../alerts/alert-status.js';
import { checkAlertHistory } from '../verify/alert-history-check.js';
import { checkAlertLedger } from '../verify/alert-ledger-check.js';
import type { Finding } from '../verify/verification-report.js';
import type { Runtime } from './runtime.js';

/**
 * `vigil verify`'s alert checks over the stored alerts, read in one transaction (a collector may
 * raise alerts beside verify): each status is what its recorded transitions lead to
 * (verify/alert-history-check.ts), and the tables are what the `<source>/alerts` records say
 * (verify/alert-ledger-check.ts). Reads only.
 */
export async function verifyAlertHistory(runtime: Runtime): Promise<Finding[]> {
  const { alerts, transitions, records } = await runtime.store.db.transaction().execute(async (trx) => ({
    alerts: await trx.selectFrom('alerts').select(['id', 'status', 'severity', 'source']).execute(),
    transitions: await trx
      .selectFrom('alert_transitions')
      .select(['alert_id', 'seq', 'from_status', 'to_status', 'actor', 'at_ms', 'note'])
      .execute(),
    records: await trx
      .selectFrom('ledger_records')
      .select(['log', 'leaf_index', 'record_id', 'body'])
      .where('kind', '=', 'alerts')
      .orderBy('log')
      .orderBy('leaf_index')
      .execute(),
  }));
  const steps = transitions.map((t) => ({
    alertId: t.alert_id,
    seq: Number(t.seq),
    from: t.from_status,
    to: t.to_status,
    by: t.actor,
    atMs: Number(t.at_ms),
    note: t.note,
  }));
  return [
    ...checkAlertHistory(alerts, steps, {
      initial: 'open',
      canTransition: (from, to) => isAlertStatus(from) && isAlertStatus(to) && canTransition(from, to),
    }),
    ...checkAlertLedger(
      alerts,
      steps,
      records.map((r) => ({
        log: r.log,
        leafIndex: Number(r.leaf_index),
        recordId: r.record_id,
        body: r.body,
      })),
    ),
  ];
}
