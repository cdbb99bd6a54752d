import path from 'node:path';
import type { Command } from 'commander';
import { VigilError } from '../../core/vigil-error.js';
import { adminClientOf, sourceOf } from '../../response/provider-admin.js';
import { reconcileSupport, type SupportReconciliation } from '../../response/support/reconcile.js';
import { checkedTicket, parseScope, type SupportTicket } from '../../response/support/support-ticket.js';
import { SupportTickets, type StoredTicket } from '../../response/support/support-tickets.js';
import { parseTicketExport } from '../../response/support/ticket-import.js';
import type { Runtime } from '../../runtime/runtime.js';
import { isoTimeFlag } from '../flag-parsers.js';
import { MiB, readRegularTextFile } from '../regular-file.js';
import { safeText } from '../safe-text.js';
import { withCommandRuntime, type CliContext, type CommandRegistrar } from '../cli-context.js';

interface Flags {
  source?: string;
  json?: boolean;
}

/** Okta keeps 90 days of System Log: the default window of a check. */
const RETENTION_MS = 90 * 86_400_000;

const tickets = (runtime: Runtime) => new SupportTickets(runtime.custody(), runtime.options.clock);

/** `vigil support`: approved support tickets, ledgered, and every support action checked against them. */
export const registerSupportCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const support = program
    .command('support')
    .description("approved support tickets and the provider's support actions reconciled with them");

  support
    .command('approve')
    .description('record (ledger and sign) that you approved support work on a case, for a window and scope')
    .requiredOption('--case <number>', "the provider's case number")
    .requiredOption('--from <time>', 'start of the approved window (RFC 3339 or a date)')
    .requiredOption('--to <time>', 'end of the approved window (exclusive)')
    .requiredOption('--by <name>', 'who approved it')
    .option('--scope <list>', 'impersonation,view,update,credentials or all', 'all')
    .option('--subject <text>', "the case's subject")
    .option('--source <name>', 'the source (default: the only one configured)')
    .option('--json', 'print the recorded ticket as JSON')
    .action(
      async (
        flags: Flags & {
          case: string;
          from: string;
          to: string;
          by: string;
          scope: string;
          subject?: string;
        },
        cmd: Command,
      ) => {
        const from = isoTimeFlag('from', flags.from)!;
        const to = isoTimeFlag('to', flags.to)!;
        const scope = parseScope(flags.scope, '--scope');
        const result = await withCommandRuntime(cmd, ctx, { access: 'write' }, async (runtime) => {
          const source = sourceOf(runtime, flags.source);
          const ticket: SupportTicket = checkedTicket(
            {
              v: 1,
              source,
              caseNumber: flags.case.replace(/^#/, ''),
              from: new Date(from).toISOString(),
              to: new Date(to).toISOString(),
              scope,
              approvedBy: flags.by,
              origin: 'customer',
              ...(flags.subject ? { subject: flags.subject } : {}),
              recordedFrom: 'cli',
              recordedAt: new Date(ctx.clock.now()).toISOString(),
            },
            '--case/--from/--to/--by',
            'SUPPORT_TICKET_INVALID',
          );
          const recorded = await tickets(runtime).record(source, [ticket]);
          await runtime.auditLog().record({
            actor: `cli:${flags.by}`,
            action: 'support.approve',
            target: `case:${ticket.caseNumber}`,
            details: { source, from: ticket.from, to: ticket.to, scope: ticket.scope },
          });
          return { ticket, recorded };
        });
        const stored = result.recorded.recorded[0];
        if (flags.json) {
          ctx.stdout.write(JSON.stringify({ id: stored?.id ?? null, ...result.ticket }, null, 2) + '\n');
          return;
        }
        ctx.stdout.write(
          safeText(
            stored
              ? `case ${result.ticket.caseNumber} approved by ${result.ticket.approvedBy} from ${result.ticket.from} to ${result.ticket.to} (${result.ticket.scope.join(', ')}): record ${stored.id}, leaf ${stored.leafIndex}`
              : `case ${result.ticket.caseNumber}: the same approval is already recorded`,
          ) + '\n',
        );
      },
    );

  support
    .command('import')
    .description("ledger the approved tickets of a ticket system's export (CSV or JSON)")
    .argument('<file>', 'CSV with a header (case,from,to,scope,approved_by[,subject]) or JSON')
    .option('--source <name>', 'the source (default: the only one configured)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, flags: Flags, cmd: Command) => {
      const full = path.resolve(ctx.cwd, file);
      const text = readRegularTextFile(full, 16 * MiB);
      const result = await withCommandRuntime(cmd, ctx, { access: 'write' }, async (runtime) => {
        const source = sourceOf(runtime, flags.source);
        const parsed = parseTicketExport(text, file, {
          source,
          recordedAt: new Date(ctx.clock.now()).toISOString(),
        });
        const recorded = await tickets(runtime).record(source, parsed);
        await runtime.auditLog().record({
          actor: 'cli',
          action: 'support.import',
          target: path.basename(file),
          details: { source, tickets: parsed.length, recorded: recorded.recorded.length },
        });
        return { tickets: parsed.length, recorded: recorded.recorded.length, skipped: recorded.skipped };
      });
      ctx.stdout.write(
        flags.json
          ? JSON.stringify(result, null, 2) + '\n'
          : `${result.tickets} ticket(s) read, ${result.recorded} recorded, ${result.skipped} already recorded\n`,
      );
    });

  support
    .command('sync')
    .description("read the provider's support cases and ledger what they say")
    .option('--source <name>', 'the source (default: the only one configured)')
    .option('--json', 'print the result as JSON')
    .action(async (flags: Flags, cmd: Command) => {
      const result = await withCommandRuntime(cmd, ctx, { access: 'write' }, async (runtime) => {
        const source = sourceOf(runtime, flags.source);
        const synced = await tickets(runtime).sync(source, adminClientOf(runtime, source), ctx.signal);
        return { source, cases: synced.cases, recorded: synced.recorded.length, unchanged: synced.skipped };
      });
      ctx.stdout.write(
        flags.json
          ? JSON.stringify(result, null, 2) + '\n'
          : `${result.source}: ${result.cases} case(s) listed, ${result.recorded} recorded, ${result.unchanged} unchanged\n`,
      );
    });

  support
    .command('list')
    .description('every recorded ticket, in ledger order')
    .option('--source <name>', 'the source (default: the only one configured)')
    .option('--json', 'print JSON')
    .action(async (flags: Flags, cmd: Command) => {
      const list = await withCommandRuntime(cmd, ctx, { access: 'read' }, (runtime) =>
        tickets(runtime).list(sourceOf(runtime, flags.source)),
      );
      if (flags.json) {
        ctx.stdout.write(JSON.stringify(list, null, 2) + '\n');
        return;
      }
      for (const t of list) ctx.stdout.write(safeText(ticketLine(t)) + '\n');
      if (list.length === 0) ctx.stdout.write('no tickets recorded: vigil support approve, import or sync\n');
    });

  support
    .command('check')
    .description('match every support action in the log to an approved ticket; exit 1 on a finding')
    .option('--source <name>', 'the source (default: the only one configured)')
    .option('--from <time>', 'from (default: 90 days ago, Okta System Log retention)')
    .option('--to <time>', 'to, exclusive (default: now)')
    .option('--no-alerts', 'report only: raise no alerts (and write nothing)')
    .option('--json', 'print the reconciliation as JSON')
    .action(async (flags: Flags & { from?: string; to?: string; alerts: boolean }, cmd: Command) => {
      const now = ctx.clock.now();
      const to = isoTimeFlag('to', flags.to) ?? now;
      const from = isoTimeFlag('from', flags.from) ?? to - RETENTION_MS;
      if (from >= to)
        throw new VigilError('SUPPORT_TICKET_INVALID', '--from must be before --to', {
          category: 'input',
          details: { flag: 'from' },
        });
      const result = await withCommandRuntime(
        cmd,
        ctx,
        { access: flags.alerts ? 'write' : 'read' },
        (runtime) =>
          reconcileSupport(runtime, {
            source: sourceOf(runtime, flags.source),
            from: new Date(from).toISOString(),
            to: new Date(to).toISOString(),
            raiseAlerts: flags.alerts,
          }),
      );
      ctx.stdout.write(flags.json ? JSON.stringify(result, null, 2) + '\n' : formatCheck(result));
      if (result.findings.length > 0) ctx.exitCode = 1;
    });
};

function ticketLine(t: StoredTicket): string {
  const k = t.ticket;
  return `${t.id}  case ${k.caseNumber}  ${k.from} .. ${k.to}  ${k.scope.join(',')}  ${k.origin}  approved by ${k.approvedBy ?? 'NOBODY'}`;
}

function formatCheck(r: SupportReconciliation): string {
  const lines = [
    `${r.source}: ${r.actions.length} support action(s) from ${r.from} to ${r.to}, ${r.tickets.length} ticket(s) recorded`,
  ];
  for (const m of r.matched)
    lines.push(`ok    ${m.published} ${m.eventType} ${m.eventId}: case ${m.caseNumber} (by ${m.by})`);
  for (const f of r.findings)
    lines.push(
      `${f.severity === 'critical' ? 'CRIT' : 'HIGH'}  ${f.kind}: ${f.detail} [${f.eventIds.join(', ')}]`,
    );
  lines.push(`${r.matched.length} matched, ${r.findings.length} finding(s)`);
  const p = r.proofs;
  if (p && p.events.length + p.unproven.length > 0)
    lines.push(
      `${p.events.length} finding event(s) proven against the checkpoint of size ${p.checkpoint?.treeSize ?? 0} (--json for the proofs)` +
        (p.unproven.length > 0 ? `; ${p.unproven.length} stored after it, not yet provable` : ''),
    );
  return lines.map((l) => safeText(l)).join('\n') + '\n';
}
