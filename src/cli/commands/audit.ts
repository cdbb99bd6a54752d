import type { Command } from 'commander';
import type { AuditRecord } from '../../audit/audit-log.js';
import { isoTimeFlag, positiveIntegerFlag } from '../flag-parsers.js';
import { withCommandRuntime, type CommandRegistrar } from '../cli-context.js';
import { formatTable } from '../text-table.js';
import { terminalOf } from '../terminal.js';

interface AuditFlags {
  from?: string;
  to?: string;
  action?: string;
  actor?: string;
  limit?: string;
  json?: boolean;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** `vigil audit`: Vigil's own audit log (sign-ins, reveals, changes, approvals), newest first. Reads only. */
export const registerAuditCommand: CommandRegistrar = (program: Command, ctx) => {
  program
    .command('audit')
    .description(
      "Vigil's own audit log (console sign-ins, reveals, alert transitions, user changes, approvals), newest first",
    )
    .option('--from <time>', 'records at or after this time (RFC 3339 or a date)')
    .option('--to <time>', 'records at or before this time')
    .option('--action <name>', 'only this action (e.g. console.reveal)')
    .option('--actor <name>', 'only this actor')
    .option('--limit <n>', 'at most this many records (default 100)')
    .option('--json', 'print { "records": [...] } (a stable contract)')
    .action(async (flags: AuditFlags, cmd: Command) => {
      const from = iso(isoTimeFlag('from', flags.from));
      const to = iso(isoTimeFlag('to', flags.to));
      const limit = positiveIntegerFlag('limit', flags.limit);
      const records = await withCommandRuntime(cmd, ctx, { access: 'read' }, (runtime) =>
        runtime.auditLog().list({
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          ...(flags.action === undefined ? {} : { action: flags.action }),
          ...(flags.actor === undefined ? {} : { actor: flags.actor }),
          ...(limit === undefined ? {} : { limit }),
        }),
      );
      if (flags.json) ctx.stdout.write(`${JSON.stringify({ records })}\n`);
      else ctx.stdout.write(formatAuditTable(records, terminalOf(ctx.stdout, ctx.env).width));
    });
};

function formatAuditTable(records: readonly AuditRecord[], width: number): string {
  if (records.length === 0) return 'no audit records\n';
  const columns = [
    { header: 'TIME' },
    { header: 'ACTOR', shrink: true },
    { header: 'ACTION' },
    { header: 'TARGET', shrink: true },
    { header: 'REASON', shrink: true },
  ];
  const rows = records.map((r) => [r.time, r.actor, r.action, r.target ?? '', r.reason ?? '']);
  return formatTable(columns, rows, { width });
}
