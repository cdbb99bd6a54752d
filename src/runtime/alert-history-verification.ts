import { canTransition, isAlertStatus } from '../alerts/alert-status.js';
import { checkAlertHistory } from '../verify/alert-history-check.js';
import type { Finding } from '../verify/verification-report.js';
import type { Runtime } from './runtime.js';

/** `vigil verify`'s alert check (verify/alert-history-check.ts) over the stored alerts. Reads only. */
export async function verifyAlertHistory(runtime: Runtime): Promise<Finding[]> {
  const db = runtime.store.db;
  const [alerts, transitions] = await Promise.all([
    db.selectFrom('alerts').select(['id', 'status', 'source']).execute(),
    db.selectFrom('alert_transitions').select(['alert_id', 'seq', 'from_status', 'to_status']).execute(),
  ]);
  return checkAlertHistory(
    alerts,
    transitions.map((t) => ({
      alertId: t.alert_id,
      seq: Number(t.seq),
      from: t.from_status,
      to: t.to_status,
    })),
    {
      initial: 'open',
      canTransition: (from, to) => isAlertStatus(from) && isAlertStatus(to) && canTransition(from, to),
    },
  );
}
