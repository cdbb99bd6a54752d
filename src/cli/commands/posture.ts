import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadBaseline } from '../../posture/baseline/baseline-file.js';
import { postureFailed, type PostureFinding } from '../../posture/posture-finding.js';
import { PostureService, type PostureReport } from '../../posture/posture-service.js';
import { postureCsv, postureHtml } from '../../posture/report-formats.js';
import type { Runtime } from '../../runtime/runtime.js';
import { safeText } from '../safe-text.js';
import { withCommandRuntime, type CliContext, type CommandRegistrar } from '../cli-context.js';

interface SourceFlag {
  source?: string;
  json?: boolean;
}

/** The one source a reading command is about: the one named, or the only one configured. */
function sourceOf(runtime: Runtime, given: string | undefined): string {
  if (given) return given;
  const names = runtime.config.sources.map((s) => s.name);
  return names.length === 1 ? names[0]! : 'okta';
}

const service = (runtime: Runtime, raise = false) =>
  new PostureService({
    custody: runtime.custody(),
    clock: runtime.options.clock,
    ...(raise ? { alert: runtime.alertIntake() } : {}),
  });

/** `vigil posture`: configuration snapshots, their history and differences, and the baseline check. */
export const registerPostureCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const posture = program
    .command('posture')
    .description("the provider's configuration: snapshots, changes, baseline and shadow changes");

  posture
    .command('snapshot')
    .description('read the whole configuration, store and ledger it, and report changes since the last one')
    .option('--source <name>', 'only this source (default: every configured source)')
    .option('--json', 'print the result as JSON')
    .action(async (flags: SourceFlag, cmd: Command) => {
      const results = await withCommandRuntime(cmd, ctx, { access: 'write' }, async (runtime) => {
        const posture = service(runtime, true);
        const out = [];
        for (const reader of runtime.configReaders(flags.source)) {
          const taken = await posture.snapshot(reader.name, reader, ctx.signal);
          const report = await posture.review(reader.name);
          out.push({ taken, report });
        }
        return out;
      });
      if (flags.json) {
        ctx.stdout.write(
          JSON.stringify(
            results.map(({ taken, report }) => ({
              source: report.snapshot.source,
              id: taken.id,
              takenAt: taken.snapshot.takenAt,
              leafIndex: taken.leafIndex,
              treeSize: taken.treeSize,
              objects: report.snapshot.objects,
              incomplete: taken.snapshot.incomplete,
              requests: taken.requests,
              throttled: taken.throttled,
              waitedMs: taken.waitedMs,
              changes: report.findings.filter((f) => f.kind === 'drift' || f.kind === 'shadow-change').length,
              shadowChanges: report.findings.filter((f) => f.kind === 'shadow-change').length,
            })),
            null,
            2,
          ) + '\n',
        );
        return;
      }
      for (const { taken, report } of results) {
        const changes = report.findings.filter((f) => f.kind === 'drift' || f.kind === 'shadow-change');
        const shadow = changes.filter((f) => f.kind === 'shadow-change');
        ctx.stdout.write(
          `${report.snapshot.source}: snapshot ${taken.id}: ${report.snapshot.objects} objects, ledger leaf ${taken.leafIndex}, ` +
            `${taken.requests} requests (${taken.throttled} throttled)` +
            (report.previous
              ? `; ${changes.length} change(s) since ${report.previous.id}, ${shadow.length} unexplained`
              : '; the first snapshot') +
            '\n',
        );
        for (const gap of taken.snapshot.incomplete)
          ctx.stdout.write(`  not read: ${gap.family}: ${safeText(gap.reason)}\n`);
        for (const f of shadow) ctx.stdout.write(`  SHADOW CHANGE ${safeText(f.detail)}\n`);
      }
    });

  posture
    .command('history')
    .description('every stored snapshot, oldest first')
    .option('--source <name>', 'the source (default: the only one, or okta)')
    .option('--json', 'print JSON')
    .action(async (flags: SourceFlag, cmd: Command) => {
      const history = await withCommandRuntime(cmd, ctx, { access: 'read' }, (runtime) =>
        service(runtime).history(sourceOf(runtime, flags.source)),
      );
      if (flags.json) {
        ctx.stdout.write(JSON.stringify(history, null, 2) + '\n');
        return;
      }
      for (const h of history)
        ctx.stdout.write(
          `${h.id}  leaf ${h.leafIndex}  ${h.objects} objects${h.incomplete.length ? `  incomplete: ${h.incomplete.map((i) => i.family).join(', ')}` : ''}\n`,
        );
      if (history.length === 0) ctx.stdout.write('no snapshots yet: run vigil posture snapshot\n');
    });

  posture
    .command('diff')
    .description(
      'what changed between two snapshots (default: the last two), object by object and field by field',
    )
    .argument('[from]', 'snapshot id, latest or latest~N', 'latest~1')
    .argument('[to]', 'snapshot id, latest or latest~N', 'latest')
    .option('--source <name>', 'the source (default: the only one, or okta)')
    .option('--json', 'print JSON')
    .action(async (from: string, to: string, flags: SourceFlag, cmd: Command) => {
      const result = await withCommandRuntime(cmd, ctx, { access: 'read' }, async (runtime) => {
        const posture = service(runtime);
        const source = sourceOf(runtime, flags.source);
        const a = await posture.load(source, from);
        const b = await posture.load(source, to);
        return { from: a.id, to: b.id, changes: await posture.diff(source, a, b) };
      });
      if (flags.json) {
        ctx.stdout.write(
          JSON.stringify(
            {
              ...result,
              changes: result.changes.map((c) => ({ ...c, explainedBy: c.explainedBy.map((e) => e.uuid) })),
            },
            null,
            2,
          ) + '\n',
        );
        return;
      }
      ctx.stdout.write(`${result.from} -> ${result.to}: ${result.changes.length} change(s)\n`);
      for (const c of result.changes) {
        const by = c.explainedBy.length
          ? `explained by ${c.explainedBy.map((e) => `${e.eventType} (${e.actor ?? '?'})`).join(', ')}`
          : 'NO EVENT RECORDS IT';
        const what =
          c.change === 'changed' ? `${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}` : c.change;
        ctx.stdout.write(
          safeText(`${c.resource} ${c.field ?? ''} ${what}: ${by}`.replace(/  +/g, ' ')) + '\n',
        );
      }
    });

  posture
    .command('check')
    .description('check the latest snapshot against a baseline, and every change since the one before')
    .option('--source <name>', 'the source (default: the only one, or okta)')
    .option('--baseline <file>', 'a customer baseline (YAML): settings, checks turned off, allow-lists')
    .option('--json', 'print the report as JSON (a stable contract)')
    .option('--html <file>', 'also write the report as HTML')
    .option('--csv <file>', 'also write the report as CSV')
    .action(async (flags: SourceFlag & { baseline?: string; html?: string; csv?: string }, cmd: Command) => {
      // A bad baseline is named before anything opens.
      const baseline = flags.baseline ? loadBaseline(path.resolve(ctx.cwd, flags.baseline)) : undefined;
      const report = await withCommandRuntime(cmd, ctx, { access: 'read' }, (runtime) =>
        service(runtime).review(sourceOf(runtime, flags.source), {
          ...(baseline ? { baseline } : {}),
          raiseAlerts: false,
        }),
      );
      if (flags.html) writeReport(path.resolve(ctx.cwd, flags.html), postureHtml(report));
      if (flags.csv) writeReport(path.resolve(ctx.cwd, flags.csv), postureCsv(report));
      ctx.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
      if (postureFailed(report.findings)) ctx.exitCode = 1;
    });
};

function writeReport(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
}

const MARK: Record<PostureFinding['status'], string> = {
  fail: 'FAIL',
  warn: 'WARN',
  pass: 'pass',
  'not-applicable': 'n/a ',
};

function formatReport(report: PostureReport): string {
  const s = report.snapshot;
  const lines = [
    `${s.source}: snapshot ${s.id} (${s.objects} objects, leaf ${s.leafIndex})` +
      (report.previous ? `, compared with ${report.previous.id}` : ', no earlier snapshot to compare with'),
  ];
  for (const f of report.findings) {
    const id = f.check ?? f.kind;
    lines.push(safeText(`${MARK[f.status]}  ${id}  ${f.detail}`));
  }
  const count = (status: PostureFinding['status']) =>
    report.findings.filter((f) => f.status === status).length;
  lines.push(
    `${count('fail')} failed, ${count('warn')} warnings, ${count('pass')} passed, ${count('not-applicable')} not applicable`,
  );
  return lines.join('\n') + '\n';
}
