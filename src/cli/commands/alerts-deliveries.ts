import type { Command } from 'commander';
import { DELIVERY_STATES, type Delivery, type DeliveryState } from '../../alerts/alert-outbox.js';
import type { AlertErrorCode } from '../../alerts/errors.js';
import { isoTime } from '../../core/clock.js';
import { VigilError } from '../../core/vigil-error.js';
import { withCommandRuntime, type CliContext } from '../cli-context.js';
import { positiveIntegerFlag } from '../flag-parsers.js';
import { safeText } from '../safe-text.js';

interface DeliveriesFlags {
  state?: string;
  limit?: string;
  json?: boolean;
}

const deliveryView = (d: Delivery) => ({
  alert: d.alertId,
  sink: d.sink,
  state: d.state,
  attempts: d.attempts,
  ...(d.state === 'pending' ? { nextAttempt: isoTime(d.nextAttemptMs) } : {}),
  expires: isoTime(d.expiresMs),
  queued: isoTime(d.createdMs),
  ...(d.deliveredMs === undefined ? {} : { delivered: isoTime(d.deliveredMs) }),
  ...(d.lastError === undefined ? {} : { lastError: d.lastError }),
});

function formatDeliveries(rows: readonly Delivery[]): string {
  if (rows.length === 0) return 'the outbox is empty\n';
  return rows
    .map((d) => {
      const when =
        d.state === 'pending'
          ? `next attempt ${isoTime(d.nextAttemptMs)}, expires ${isoTime(d.expiresMs)}`
          : d.state === 'delivered'
            ? `delivered ${isoTime(d.deliveredMs ?? d.createdMs)}`
            : `expired ${isoTime(d.expiresMs)}`;
      const error = d.lastError && d.state !== 'delivered' ? `; last error: ${d.lastError}` : '';
      return `${d.alertId}  ${d.sink}  ${d.state}  ${d.attempts} attempts  ${when}${error}`;
    })
    .join('\n')
    .concat('\n');
}

/** `vigil alerts deliveries [--state S] [--json]`: the outbox, read only (issue 14). */
export function registerAlertDeliveries(alerts: Command, ctx: CliContext): void {
  alerts
    .command('deliveries')
    .description('show the alert outbox: each alert and sink, pending, delivered or expired')
    .option('--state <state>', `only deliveries in this state: ${DELIVERY_STATES.join(', ')}`)
    .option('--limit <n>', 'at most this many (default 1000), newest first')
    .option('--json', 'print deliveries as a JSON array')
    .action(async (flags: DeliveriesFlags, command: Command) => {
      const json = command.optsWithGlobals<DeliveriesFlags>().json === true;
      if (flags.state !== undefined && !(DELIVERY_STATES as readonly string[]).includes(flags.state))
        throw new VigilError<AlertErrorCode>(
          'ALERT_BAD_FILTER',
          `--state must be one of ${DELIVERY_STATES.join(', ')}, not '${flags.state}'`,
          { category: 'input' },
        );
      const limit = positiveIntegerFlag('limit', flags.limit);
      const rows = await withCommandRuntime(command, ctx, { access: 'read' }, (runtime) =>
        runtime.alertOutbox().list({
          ...(flags.state ? { state: flags.state as DeliveryState } : {}),
          ...(limit ? { limit } : {}),
        }),
      );
      ctx.stdout.write(
        json
          ? `${JSON.stringify(rows.map(deliveryView), null, 2)}\n`
          : safeText(formatDeliveries(rows), { multiline: true }),
      );
    });
}
