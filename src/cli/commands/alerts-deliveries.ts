import type { Command } from 'commander';
import { DELIVERY_STATES, type Delivery, type DeliveryState } from '../../alerts/alert-outbox.js';
import type { AlertErrorCode } from '../../alerts/errors.js';
import { isoTime } from '../../core/clock.js';
import { VigilError } from '../../core/vigil-error.js';
import { withCommandRuntime, type CliContext } from '../cli-context.js';
import { positiveIntegerFlag } from '../flag-parsers.js';
import { terminalOf } from '../terminal.js';
import { formatTable } from '../text-table.js';

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

/** The outbox as one table fitted to the terminal; the times and the last error give way first. */
const DELIVERY_COLUMNS = [
  { header: 'ALERT' },
  { header: 'SINK', shrink: true, min: 8 },
  { header: 'STATE' },
  { header: 'ATTEMPTS' },
  { header: 'WHEN', shrink: true, min: 16 },
  { header: 'LAST ERROR', shrink: true, min: 10 },
];

function formatDeliveries(rows: readonly Delivery[], width: number): string {
  if (rows.length === 0) return 'the outbox is empty\n';
  const cells = rows.map((d) => {
    const when =
      d.state === 'pending'
        ? `next ${isoTime(d.nextAttemptMs)}, expires ${isoTime(d.expiresMs)}`
        : d.state === 'delivered'
          ? `delivered ${isoTime(d.deliveredMs ?? d.createdMs)}`
          : `expired ${isoTime(d.expiresMs)}`;
    const error = d.lastError && d.state !== 'delivered' ? d.lastError : '';
    return [d.alertId, d.sink, d.state, String(d.attempts), when, error];
  });
  return formatTable(DELIVERY_COLUMNS, cells, { width });
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
          : formatDeliveries(rows, terminalOf(ctx.stdout, ctx.env).width),
      );
    });
}
