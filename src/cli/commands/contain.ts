import type { Command } from 'commander';
import { ContainmentService, type ActionState } from '../../response/containment/containment-service.js';
import { safeText } from '../safe-text.js';
import { withCommandRuntime, type CliContext, type CommandRegistrar } from '../cli-context.js';

interface Flags {
  json?: boolean;
}

const line = (s: ActionState) =>
  `${s.state.toUpperCase().padEnd(8)} ${s.action.id}\n         ${s.action.reason}\n         evidence: ${s.action.evidence.join(', ')}`;

/** `vigil contain`: containment planned from an incident's blast radius, approved, run and followed. */
export const registerContainCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const contain = program
    .command('contain')
    .description("containment through the provider's API: plan, approve, run (dry run by default), status");

  contain
    .command('plan')
    .description("the actions an incident's blast radius calls for, each with its reason and evidence")
    .argument('<incident>', 'incident id (inc-…)')
    .option('--json', 'print the plan as JSON')
    .action(async (incident: string, flags: Flags, cmd: Command) => {
      const plan = await withCommandRuntime(cmd, ctx, { access: 'read' }, (runtime) =>
        new ContainmentService(runtime).plan(incident),
      );
      if (flags.json) {
        ctx.stdout.write(
          JSON.stringify({ incident: plan.incident.id, actions: plan.actions }, null, 2) + '\n',
        );
        return;
      }
      ctx.stdout.write(
        `${plan.incident.id} (${safeText(plan.incident.name)}): ${plan.actions.length} action(s)\n`,
      );
      for (const s of plan.actions) ctx.stdout.write(safeText(line(s), { multiline: true }) + '\n');
      if (plan.actions.some((s) => s.state === 'planned'))
        ctx.stdout.write(`approve with: vigil contain approve ACTION... --by NAME\n`);
    });

  contain
    .command('approve')
    .description('approve actions of a plan (ledgered and signed, and in the audit log)')
    .argument('<action...>', 'action ids from vigil contain plan')
    .requiredOption('--by <name>', 'who approves')
    .option('--json', 'print the result as JSON')
    .action(async (ids: string[], flags: Flags & { by: string }, cmd: Command) => {
      const result = await withCommandRuntime(cmd, ctx, { access: 'write' }, (runtime) =>
        new ContainmentService(runtime).approve(ids, flags.by),
      );
      if (flags.json) {
        ctx.stdout.write(JSON.stringify(result, null, 2) + '\n');
        return;
      }
      for (const id of result.approved) ctx.stdout.write(safeText(`approved ${id}`) + '\n');
      for (const id of result.already) ctx.stdout.write(safeText(`already approved ${id}`) + '\n');
    });

  contain
    .command('run')
    .description('do the approved actions not yet done; a dry run (nothing changed) unless --execute')
    .argument('<incident>', 'incident id (inc-…)')
    .option('--execute', "call the provider's API (default: dry run)")
    .option('--by <name>', 'who runs it (the audit log names them)', 'cli')
    .option('--json', 'print the run as JSON')
    .action(async (incident: string, flags: Flags & { execute?: boolean; by: string }, cmd: Command) => {
      const execute = flags.execute === true;
      const report = await withCommandRuntime(cmd, ctx, { access: execute ? 'write' : 'read' }, (runtime) =>
        new ContainmentService(runtime).run(incident, { execute, by: flags.by, signal: ctx.signal }),
      );
      if (flags.json) ctx.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else {
        ctx.stdout.write(
          `${report.incident}: ${execute ? 'run' : 'dry run, nothing changed (add --execute)'}\n`,
        );
        for (const s of report.steps)
          ctx.stdout.write(safeText(`${s.outcome.padEnd(12)} ${s.actionId}: ${s.detail}`) + '\n');
      }
      if (report.steps.some((s) => s.outcome === 'refused')) ctx.exitCode = 1;
    });

  contain
    .command('status')
    .description("each action's approval and results, and the provider's events that record it")
    .argument('<incident>', 'incident id (inc-…)')
    .option('--json', 'print JSON')
    .action(async (incident: string, flags: Flags, cmd: Command) => {
      const status = await withCommandRuntime(cmd, ctx, { access: 'read' }, (runtime) =>
        new ContainmentService(runtime).status(incident),
      );
      if (flags.json) {
        ctx.stdout.write(
          JSON.stringify({ incident: status.incident.id, actions: status.actions }, null, 2) + '\n',
        );
        return;
      }
      for (const s of status.actions) {
        const last = s.results.at(-1);
        const events = s.providerEvents.map((e) => `${e.eventType} ${e.uuid}`).join(', ');
        ctx.stdout.write(
          safeText(
            `${s.state.toUpperCase().padEnd(8)} ${s.action.id}` +
              (s.approval ? ` approved by ${s.approval.by}` : '') +
              (last
                ? `; last: ${last.outcome}${last.errorCode ? ` ${last.errorCode}` : ''} (${last.detail})`
                : '') +
              (s.results.some((r) => r.outcome === 'done')
                ? `; provider log: ${events || 'not collected yet'}`
                : ''),
          ) + '\n',
        );
      }
    });
};
