import type { Command } from 'commander';
import type { AlertDetail } from '../../alerts/alert-detail.js';
import { alertView } from '../../alerts/alert-view.js';
import type { EventSummary } from '../../alerts/event-summary.js';
import { withCommandRuntime, type CliContext } from '../cli-context.js';
import { safeText } from '../safe-text.js';

const eventLine = (e: EventSummary): string =>
  [
    `  ${e.published}  ${e.eventType}`,
    `by ${e.actor}`,
    ...(e.targets.length ? [`on ${e.targets.join(', ')}`] : []),
    ...(e.ip ? [`from ${e.ip}${e.place ? ` (${e.place})` : ''}`] : []),
    ...(e.outcome ? [e.outcome] : []),
  ].join('  ');

function formatDetail({ alert, events, missing }: AlertDetail): string {
  const lines = [
    `${alert.id}  [${alert.severity.toUpperCase()}] ${alert.title}`,
    `entity: ${alert.entity.type} ${alert.entity.display ?? alert.entity.id}`,
    `status: ${alert.status}, seen ${alert.count} times from ${new Date(alert.firstSeenMs).toISOString()} to ${new Date(alert.lastSeenMs).toISOString()}${alert.heldBack ? ' (held back: raised by a backfill, not pushed)' : ''}`,
    '',
    alert.reasons.length > 1 ? 'why (each rule that fired):' : 'why:',
    ...alert.reasons.map((r) => `  - ${r.ruleId} [${r.severity}] ${r.title}\n    ${r.description}`),
    '',
    `triggering events (${events.length}${missing.length ? `; ${missing.length} not in the store` : ''}):`,
    ...events.map(eventLine),
  ];
  return lines.join('\n') + '\n';
}

/** `vigil alerts show ID [--json]`: one alert, every reason, and its triggering events summarised. */
export function registerAlertShow(alerts: Command, ctx: CliContext): void {
  alerts
    .command('show <id>')
    .description('show one alert with the rules that fired and its triggering events')
    .option('--json', 'print the alert and its events as JSON')
    .action(async (id: string, _flags: unknown, command: Command) => {
      const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
      const detail = await withCommandRuntime(command, ctx, { access: 'read' }, (runtime) =>
        runtime.alertDetail(id),
      );
      ctx.stdout.write(
        json
          ? `${JSON.stringify({ ...alertView(detail.alert), eventSummaries: detail.events, missingEvents: detail.missing }, null, 2)}\n`
          : safeText(formatDetail(detail), { multiline: true }),
      );
    });
}
