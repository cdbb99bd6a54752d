import path from 'node:path';
import type { Command } from 'commander';
import { VigilError } from '../../core/vigil-error.js';
import type { IncidentErrorCode } from '../../response/incident/errors.js';
import {
  INCIDENT_SCOPES,
  type Incident,
  type IncidentScope,
  type Ioc,
} from '../../response/incident/incident.js';
import { incidentStore } from '../../response/incident/incident-store.js';
import { parseIocFile } from '../../response/incident/ioc-file.js';
import { notifySecurityContact, type ContactDelivery } from '../../response/incident/security-contact.js';
import { generateReport } from '../../response/report/report-service.js';
import type { Runtime } from '../../runtime/runtime.js';
import { isoTimeFlag } from '../flag-parsers.js';
import { packageVersion } from '../package-version.js';
import { MiB, readRegularTextFile } from '../regular-file.js';
import { safeText } from '../safe-text.js';
import { withCommandRuntime, type CliContext, type CommandRegistrar } from '../cli-context.js';
import { cliActor, registerIncidentExport } from './incident-export.js';

interface OpenFlags {
  name: string;
  from: string;
  to: string;
  source?: string;
  scope: string;
  ioc?: string;
  json?: boolean;
}

interface ReportFlags {
  json?: boolean;
  html?: string;
  pdf?: string;
  out?: string;
  reveal?: boolean;
  reason?: string;
}

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new VigilError<IncidentErrorCode>('INCIDENT_INVALID', message, { category: 'input', details });

/** The source an incident is about: the one named (it must be configured), else the only one configured. */
function pickSource(runtime: Runtime, given: string | undefined): string {
  const names = runtime.config.sources.map((s) => s.name);
  if (given !== undefined) {
    if (!names.includes(given))
      throw invalid(`--source ${given} is not a configured source (${names.join(', ') || 'none'})`, {
        source: given,
      });
    return given;
  }
  if (names.length === 1) return names[0]!;
  throw invalid(
    names.length === 0
      ? 'no source is configured: add one with vigil source add'
      : `several sources (${names.join(', ')}): name one with --source`,
  );
}

const incidentLine = (i: Incident) =>
  `${i.id}  ${i.status.padEnd(6)}  ${i.source}  ${i.from} – ${i.to}  scope ${i.scope}  ${i.iocs.length} indicator(s)  ${safeText(i.name)}`;

function printDeliveries(ctx: CliContext, deliveries: readonly ContactDelivery[]): void {
  for (const d of deliveries)
    ctx.stderr.write(
      d.ok
        ? `security contact told by ${d.channel}\n`
        : `warning: the security contact could not be told by ${d.channel}: ${safeText(d.error ?? 'failed')}\n`,
    );
}

/** `vigil incident open|list|show|close|report|export` (issue 17, docs/response.md). */
export const registerIncidentCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const incident = program
    .command('incident')
    .description(
      "incidents: a provider's breach window, its blast-radius report with proofs, a shareable export",
    );

  incident
    .command('open')
    .description(
      'open an incident for a breach window (recorded in the audit log; the security contact is told)',
    )
    .requiredOption('--name <name>', 'what to call it (e.g. the provider advisory)')
    .requiredOption('--from <time>', 'the window opens (RFC 3339 or a date, UTC)')
    .requiredOption('--to <time>', 'the window closes (exclusive)')
    .option('--source <name>', 'the source (default: the only configured one)')
    .option(
      '--scope <scope>',
      `support: what support did or was let do; all: every sensitive change (${INCIDENT_SCOPES.join('|')})`,
      'all',
    )
    .option(
      '--ioc <file>',
      "the provider's indicators: IPs, CIDRs, user agents, ASNs, one a line, or CSV with type,value",
    )
    .option('--json', 'print {"id": ...}')
    .action(async (flags: OpenFlags, cmd: Command) => {
      const from = isoTimeFlag('from', flags.from)!;
      const to = isoTimeFlag('to', flags.to)!;
      if (!(INCIDENT_SCOPES as readonly string[]).includes(flags.scope))
        throw invalid(`--scope must be ${INCIDENT_SCOPES.join(' or ')}, not ${JSON.stringify(flags.scope)}`, {
          flag: 'scope',
        });
      let iocs: Ioc[] = [];
      if (flags.ioc !== undefined) {
        const file = path.resolve(ctx.cwd, flags.ioc);
        iocs = parseIocFile(readRegularTextFile(file, 16 * MiB), file);
      }
      const { opened, notified } = await withCommandRuntime(
        cmd,
        ctx,
        { access: 'write' },
        async (runtime) => {
          const opened = await incidentStore(runtime).open(
            {
              name: flags.name,
              source: pickSource(runtime, flags.source),
              from: new Date(from).toISOString(),
              to: new Date(to).toISOString(),
              scope: flags.scope as IncidentScope,
              iocs,
            },
            cliActor(ctx),
          );
          return {
            opened,
            notified: await notifySecurityContact(runtime, { kind: 'opened', incident: opened }),
          };
        },
      );
      printDeliveries(ctx, notified);
      ctx.stdout.write(
        flags.json
          ? JSON.stringify({ id: opened.id }) + '\n'
          : `opened ${opened.id}: ${safeText(opened.name)}, ${opened.source} ${opened.from} – ${opened.to}, scope ${opened.scope}, ${opened.iocs.length} indicator(s)\nnext: vigil incident report ${opened.id} --out DIR\n`,
      );
    });

  incident
    .command('list')
    .description('list incidents, newest first')
    .option('--json', 'print them as a JSON array')
    .action(async (flags: { json?: boolean }, cmd: Command) => {
      const list = await withCommandRuntime(cmd, ctx, { access: 'read' }, (runtime) =>
        incidentStore(runtime).list(),
      );
      ctx.stdout.write(
        flags.json
          ? JSON.stringify(list, null, 2) + '\n'
          : list.length === 0
            ? 'no incidents\n'
            : list.map(incidentLine).join('\n') + '\n',
      );
    });

  incident
    .command('show <id>')
    .description('show one incident and its indicators')
    .option('--json', 'print it as JSON')
    .action(async (id: string, flags: { json?: boolean }, cmd: Command) => {
      const found = await withCommandRuntime(cmd, ctx, { access: 'read' }, (runtime) =>
        incidentStore(runtime).get(id),
      );
      if (flags.json) {
        ctx.stdout.write(JSON.stringify(found, null, 2) + '\n');
        return;
      }
      ctx.stdout.write(
        [
          incidentLine(found),
          `opened ${found.openedAt}${found.closedAt ? `, closed ${found.closedAt}` : ''}`,
          ...found.iocs.map((i) => `  ${i.kind} ${safeText(i.value)}`),
        ].join('\n') + '\n',
      );
    });

  incident
    .command('close <id>')
    .description('close an incident (recorded in the audit log)')
    .option('--reason <text>', 'why, for the audit log')
    .option('--json', 'print the incident as JSON')
    .action(async (id: string, flags: { reason?: string; json?: boolean }, cmd: Command) => {
      const closed = await withCommandRuntime(cmd, ctx, { access: 'write' }, (runtime) =>
        incidentStore(runtime).close(id, cliActor(ctx), flags.reason),
      );
      ctx.stdout.write(flags.json ? JSON.stringify(closed, null, 2) + '\n' : `closed ${closed.id}\n`);
    });

  incident
    .command('report <id>')
    .description(
      'the blast-radius report: evidence basis, timeline with inclusion proofs, who was affected and what to do, alerts, actions, chain of custody',
    )
    .option('--json', 'print the report as JSON')
    .option('--html <file>', 'write the report as HTML (a new file)')
    .option('--pdf <file>', 'write the report as PDF, printed from the HTML by Chromium (a new file)')
    .option(
      '--out <dir>',
      'write the report bundle: evidence/ (checked by vigil verify-bundle), report.json, report.html, SHA256SUMS',
    )
    .option('--reveal', 'show personal data instead of tokens (needs --reason; recorded in the audit log)')
    .option('--reason <text>', 'why personal data is revealed')
    .action(async (id: string, flags: ReportFlags, cmd: Command) => {
      if (flags.reveal && (flags.reason === undefined || flags.reason.trim() === ''))
        throw new VigilError('REPORT_BAD_REQUEST', '--reveal needs --reason: why personal data is shown', {
          category: 'input',
        });
      const resolve = (p: string | undefined) => (p === undefined ? undefined : path.resolve(ctx.cwd, p));
      const files = {
        ...(flags.out === undefined ? {} : { out: resolve(flags.out)! }),
        ...(flags.html === undefined ? {} : { html: resolve(flags.html)! }),
        ...(flags.pdf === undefined ? {} : { pdf: resolve(flags.pdf)! }),
        ...(ctx.env['VIGIL_CHROMIUM'] ? { chromium: ctx.env['VIGIL_CHROMIUM'] } : {}),
      };
      // Generating a report is recorded in the audit log (and a reveal before it): a writer. It
      // reads a week of events or more once: through a small page cache, not a memory map whose
      // every touched page would stay resident (as collect does, issue 20).
      const result = await withCommandRuntime(cmd, ctx, { access: 'write', bulk: true }, (runtime) =>
        generateReport(runtime, {
          incidentId: id,
          actor: cliActor(ctx),
          tool: `vigil ${packageVersion()}`,
          files,
          ...(flags.reveal ? { reveal: { reason: flags.reason! } } : {}),
        }),
      );
      printDeliveries(ctx, result.notified);
      if (flags.json) {
        ctx.stdout.write(JSON.stringify(result.report, null, 2) + '\n');
        return;
      }
      const r = result.report;
      const lines = [
        `report ${r.header.reportId} of ${r.header.incident.id} (${safeText(r.header.incident.name)})${r.header.revealed ? ', personal data REVEALED' : ''}`,
        `${r.timeline.length} cited event(s) with inclusion proofs against checkpoint size ${r.evidence.checkpoint.treeSize}`,
        `${r.blastRadius.principals.length} affected user(s), ${r.blastRadius.principals.filter((p) => p.admin).length} admin(s); ${r.alerts.total} alert(s) in ${r.alerts.stories.length} stories`,
        ...r.evidence.gaps.map((g) => `gap: ${safeText(g)}`),
        ...result.artifacts.map((a) => `wrote ${a.name}  sha256 ${a.sha256}`),
      ];
      if (files.out)
        lines.push(`check it: vigil verify-bundle --vkey '<ledger key>' ${path.join(files.out, 'evidence')}`);
      ctx.stdout.write(lines.join('\n') + '\n');
    });

  registerIncidentExport(incident, ctx);
};
