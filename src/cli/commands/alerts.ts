import type { Command } from 'commander';
import { isVigilError, VigilError } from '../../core/vigil-error.js';
import type { Alert, AlertStatus } from '../../alerts/alert.js';
import { isAlertStatus } from '../../alerts/alert-status.js';
import { ALERT_TABLE_COLUMNS, alertTableRow } from '../../alerts/alert-table.js';
import { alertView } from '../../alerts/alert-view.js';
import type { AlertErrorCode } from '../../alerts/errors.js';
import type { AlertStore } from '../../alerts/alert-store.js';
import { isSeverity, SEVERITIES } from '../../detect/severity.js';
import { severityStyle, terminalOf, type Terminal } from '../terminal.js';
import { formatTable } from '../text-table.js';
import { withCommandRuntime, type CliContext, type CommandRegistrar } from '../cli-context.js';
import { registerAlertDeliveries } from './alerts-deliveries.js';
import { printAlertStories } from './alerts-stories.js';
import { registerAlertShow } from './alerts-show.js';
import { registerAlertTest } from './alerts-test.js';
import { positiveIntegerFlag } from '../flag-parsers.js';

interface ListOptions {
  status?: string;
  severity?: string;
  limit?: string;
  json?: boolean;
}

interface TransitionOptions {
  by?: string;
  note?: string;
  json?: boolean;
}

const badFilter = (message: string) =>
  new VigilError<AlertErrorCode>('ALERT_BAD_FILTER', message, { category: 'input' });

function parseListOptions(options: ListOptions) {
  if (options.status !== undefined && !isAlertStatus(options.status)) {
    throw badFilter(`--status must be open, acknowledged or resolved, not '${options.status}'`);
  }
  if (options.severity !== undefined && !isSeverity(options.severity)) {
    throw badFilter(`--severity must be one of ${SEVERITIES.join(', ')}, not '${options.severity}'`);
  }
  const limit = positiveIntegerFlag('limit', options.limit);
  return {
    ...(options.status ? { status: options.status as AlertStatus } : {}),
    ...(options.severity && isSeverity(options.severity) ? { minSeverity: options.severity } : {}),
    ...(limit ? { limit } : {}),
  };
}

/** Listing alerts opens the store as readers do: it must exist, and nothing changes. */
function withStore<T>(command: Command, ctx: CliContext, use: (s: { store: AlertStore }) => Promise<T>) {
  return withCommandRuntime(command, ctx, { access: 'read' }, (runtime) =>
    use({ store: runtime.alertStore() }),
  );
}

function registerTransition(
  alerts: Command,
  ctx: CliContext,
  name: string,
  to: AlertStatus,
  description: string,
) {
  alerts
    .command(`${name} <id>`)
    .description(description)
    .option('--by <name>', 'who is acting (default: $USER)')
    .option('--note <text>', 'a note recorded with the change')
    .option('--json', 'print the alert as JSON')
    .action(async (id: string, options: TransitionOptions, command: Command) => {
      // `--json` may land on the parent `alerts` command, which declares it too.
      const json = command.optsWithGlobals<TransitionOptions>().json === true;
      const by = options.by ?? ctx.env['USER'] ?? 'cli';
      // The store must exist (a reader's open names it when missing); the change is then made by a
      // writer, which ledgers it in <source>/alerts with the transition (alerts/alert-ledger.ts).
      // An older store is fine: the writer migrates it.
      await withCommandRuntime(command, ctx, { access: 'read' }, () => Promise.resolve()).catch(
        (error: unknown) => {
          if (!isVigilError(error) || error.code !== 'STORE_OUTDATED') throw error;
        },
      );
      const alert = await withCommandRuntime(command, ctx, { access: 'write' }, (runtime) =>
        runtime.alertStore().transition(id, to, by, options.note),
      );
      ctx.stdout.write(
        json ? `${JSON.stringify(alertView(alert), null, 2)}\n` : `${alert.id} is now ${alert.status}\n`,
      );
    });
}

/** The alert list as one table fitted to the terminal, severities in colour where colour is on. */
function formatAlertList(list: readonly Alert[], terminal: Terminal): string {
  if (list.length === 0) return 'no alerts\n';
  const severity = ALERT_TABLE_COLUMNS.findIndex((c) => c.header === 'SEVERITY');
  return formatTable(ALERT_TABLE_COLUMNS, list.map(alertTableRow), {
    width: terminal.width,
    style: (column, padded, cell) => (column === severity ? severityStyle(terminal, cell, padded) : padded),
  });
}

/** `vigil alerts [--status S] [--severity S] [--json]`, `vigil alerts ack|resolve ID` (issue 5 "Alerts"). */
export const registerAlerts: CommandRegistrar = (program, ctx) => {
  const alerts = program
    .command('alerts')
    .description('list alerts, or acknowledge / resolve one')
    .option('--status <status>', 'only alerts with this status: open, acknowledged, resolved')
    .option('--severity <severity>', `only alerts at least this severe: ${SEVERITIES.join(', ')}`)
    .option('--limit <n>', 'at most this many alerts (default 1000), newest activity first')
    .option('--json', 'print alerts as a JSON array')
    .option(
      '--group',
      'one story per group of related alerts (same actor, session or support case within an hour, or one incident); with --json: {"stories": [...]}',
    )
    .action(async (options: ListOptions & { group?: boolean }, command: Command) => {
      const filter = parseListOptions(options);
      if (options.group) return printAlertStories(command, ctx, filter, options.json === true);
      const list = await withStore(command, ctx, ({ store }) => store.list(filter));
      ctx.stdout.write(
        options.json
          ? `${JSON.stringify(list.map(alertView), null, 2)}\n`
          : formatAlertList(list, terminalOf(ctx.stdout, ctx.env)),
      );
    });
  registerTransition(alerts, ctx, 'ack', 'acknowledged', 'acknowledge an alert: someone is on it');
  registerTransition(alerts, ctx, 'resolve', 'resolved', 'resolve an alert');
  registerAlertShow(alerts, ctx);
  registerAlertDeliveries(alerts, ctx);
  registerAlertTest(alerts, ctx);
};
