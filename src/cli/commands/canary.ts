import type { Command } from 'commander';
import { canaryLogins } from '../../config/canary-config.js';
import { CanaryService, type ProbeReport } from '../../canary/canary-service.js';
import { canaryTargets } from '../../canary/canary-targets.js';
import type { Runtime } from '../../runtime/runtime.js';
import { safeText } from '../safe-text.js';
import { withCommandRuntime, type CliContext, type CommandRegistrar } from '../cli-context.js';

interface CanaryFlags {
  source?: string;
  json?: boolean;
}

const service = (runtime: Runtime) =>
  new CanaryService({
    custody: runtime.custody(),
    clock: runtime.options.clock,
    alert: runtime.alertIntake(),
  });

/** How far back `vigil canary check` looks for a canary sign-in no probe made. */
const FOREIGN_LOOKBACK_MS = 7 * 86_400_000;

/** `vigil canary`: real sign-ins that prove the provider enforces its policies and logs them (docs/canaries.md). */
export const registerCanaryCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const canary = program
    .command('canary')
    .description('canary sign-ins: prove the provider enforces its policies and logs what happened');

  canary
    .command('run')
    .description(
      'sign in with every canary, check each expectation, ledger each result (exit 1 on a failure)',
    )
    .option('--source <name>', 'only the canaries of this source')
    .option('--json', 'print { "probes": [...] } (a stable contract)')
    .action(async (flags: CanaryFlags, cmd: Command) => {
      const probes = await withCommandRuntime(cmd, ctx, { access: 'write' }, async (runtime) => {
        const canaries = service(runtime);
        const out: ProbeReport[] = [];
        for (const target of canaryTargets(runtime, flags.source))
          out.push(...(await canaries.run(target, ctx.signal)));
        return out;
      });
      if (probes.some((p) => p.status !== 'pass')) ctx.exitCode = 1;
      if (flags.json) {
        ctx.stdout.write(
          JSON.stringify(
            {
              probes: probes.map((p) => ({
                source: p.source,
                canary: p.canary,
                probe: p.probe,
                expected: p.expected,
                observed: p.observed,
                status: p.status,
                logCheck: p.logCheck,
                recordId: p.recordId,
              })),
            },
            null,
            2,
          ) + '\n',
        );
        return;
      }
      for (const p of probes)
        ctx.stdout.write(
          `${p.status.toUpperCase()} ${safeText(p.canary)} ${p.probe}: expected ${p.expected}; observed ${safeText(p.observed)} (record ${p.recordId}; log check pending)\n`,
        );
      const failed = probes.filter((p) => p.status !== 'pass').length;
      ctx.stdout.write(`${probes.length} probes, ${failed} not passed\n`);
    });

  canary
    .command('check')
    .description(
      'check that the log holds the events of every probe past the log lag, and look for sign-ins to a canary no probe made (exit 1 on either)',
    )
    .option('--source <name>', 'only the canaries of this source')
    .option('--json', 'print { "logChecks": [...], "foreign": [...] }')
    .action(async (flags: CanaryFlags, cmd: Command) => {
      const result = await withCommandRuntime(cmd, ctx, { access: 'write' }, async (runtime) => {
        const canaries = service(runtime);
        const { logLagSeconds } = runtime.config.canaries;
        const sources = [
          ...new Set(
            runtime.config.canaries.users
              .filter((u) => flags.source === undefined || u.source === flags.source)
              .map((u) => u.source),
          ),
        ];
        const logChecks = [];
        const foreign = [];
        for (const source of sources) {
          for (const c of await canaries.checkLogs(source, { logLagMs: logLagSeconds * 1000 }))
            logChecks.push({ source, probeRecord: c.probeRecord, logCheck: c.status, missing: c.missing });
          const logins = [...canaryLogins(runtime.config, source)];
          for (const f of await canaries.foreignUse(source, logins, ctx.clock.now() - FOREIGN_LOOKBACK_MS))
            foreign.push({
              source,
              published: f.published,
              eventType: f.eventType,
              actor: f.actor,
              clientIp: f.clientIp,
              outcome: f.outcome,
            });
        }
        return { logChecks, foreign };
      });
      if (result.logChecks.some((c) => c.logCheck === 'fail') || result.foreign.length > 0) ctx.exitCode = 1;
      if (flags.json) {
        ctx.stdout.write(JSON.stringify(result, null, 2) + '\n');
        return;
      }
      for (const c of result.logChecks)
        ctx.stdout.write(
          `${c.logCheck.toUpperCase()} log check of probe ${c.probeRecord}${c.missing.length ? `: missing ${c.missing.map((m) => `${m.type}${m.outcome ? ` ${m.outcome}` : ''}`).join(', ')}` : ''}\n`,
        );
      for (const f of result.foreign)
        ctx.stdout.write(
          `FOREIGN ${safeText(f.eventType)} for canary ${safeText(f.actor ?? '')} at ${f.published} from ${safeText(f.clientIp ?? '-')}\n`,
        );
      ctx.stdout.write(
        `${result.logChecks.length} log checks judged, ${result.logChecks.filter((c) => c.logCheck === 'fail').length} missing events; ${result.foreign.length} foreign sign-ins\n`,
      );
    });
};
