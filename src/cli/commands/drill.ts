import path from 'node:path';
import type { Command } from 'commander';
import { drillDataDir } from '../../response/drill/drill-data-dir.js';
import {
  checkDrillScenario,
  DRILL_BREAKS,
  drillScenarios,
  runDrill,
  type DrillBreak,
} from '../../response/drill/drill-runner.js';
import type { DrillErrorCode } from '../../response/drill/errors.js';
import { VigilError } from '../../core/vigil-error.js';
import { scoreRows } from '../../response/drill/drill-table.js';
import type { CliContext, CommandRegistrar } from '../cli-context.js';
import { terminalOf } from '../terminal.js';
import { formatTable } from '../text-table.js';
import { positiveIntegerFlag, wholeNumberFlag } from '../flag-parsers.js';

interface DrillFlags {
  json?: boolean;
  keep?: string;
  seed: string;
  users: string;
  days: string;
  break: string[];
}

const COLUMNS = [
  { header: 'CRITERION' },
  { header: 'RESULT' },
  { header: 'VERDICT' },
  { header: 'DETAIL', shrink: true, min: 12 },
];

/**
 * `vigil drill SCENARIO`: a provider breach rehearsed end to end against the simulator, and the
 * response scored against the scenario's ground truth (docs/response.md "Drills"). Exit 1 when the
 * response misses anything.
 */
export const registerDrillCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  program
    .command('drill')
    .description(
      `rehearse a provider breach against the simulator: collect, detect, open the incident from the published window, report, reconcile support, contain, and score the response (${drillScenarios().join(', ')})`,
    )
    .argument('<scenario>', 'the breach to rehearse')
    .option('--json', 'print the score as JSON')
    .option(
      '--keep <dir>',
      'keep the drill’s store in this new or empty directory (default: a temporary one, removed)',
    )
    .option('--seed <n>', 'seed of the simulated org', '1')
    .option(
      '--break <part>',
      `rehearse a broken response, to see the score catch it: ${DRILL_BREAKS.join(' or ')} (repeatable)`,
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .option('--users <n>', 'people in the simulated org', '200')
    .option('--days <n>', 'days of history before the attack', '3')
    .action(async (scenario: string, flags: DrillFlags) => {
      checkDrillScenario(scenario);
      const broken = flags.break.map((part) => {
        if (!(DRILL_BREAKS as readonly string[]).includes(part))
          throw new VigilError<DrillErrorCode>(
            'DRILL_BAD_BREAK',
            `--break ${JSON.stringify(part)}: not a part of the response (${DRILL_BREAKS.join(', ')})`,
            { category: 'input', details: { flag: 'break', value: part } },
          );
        return part as DrillBreak;
      });
      const seed = wholeNumberFlag('seed', flags.seed)!;
      const users = positiveIntegerFlag('users', flags.users)!;
      const days = positiveIntegerFlag('days', flags.days)!;
      const keep = flags.keep === undefined ? undefined : path.resolve(ctx.cwd, flags.keep);
      const dir = drillDataDir(keep, ctx.env);
      try {
        let result;
        try {
          result = await runDrill({
            scenario,
            dataDir: dir.path,
            startMs: ctx.clock.now(),
            seed,
            users,
            days,
            broken,
            ...(dir.kept ? { reportDir: path.join(dir.path, 'report') } : {}),
            signal: ctx.signal,
            progress: (line) => ctx.stderr.write(line),
          });
        } catch (error) {
          // Interrupted: stopped cleanly, nothing to score; the temporary directory still goes.
          if (!ctx.signal.aborted) throw error;
          ctx.stderr.write('drill stopped before it finished: nothing scored\n');
          ctx.exitCode = 1;
          return;
        }
        const { score } = result;
        if (!score.pass) ctx.exitCode = 1;
        if (flags.json) {
          ctx.stdout.write(
            JSON.stringify(
              {
                scenario,
                ...(broken.length ? { broken } : {}),
                pass: score.pass,
                points: score.points,
                possible: score.possible,
                incident: result.incident.id,
                window: { from: result.incident.from, to: result.incident.to },
                attackStart: result.attackStart,
                firstAlert: result.firstAlert,
                criteria: score.criteria,
                containment: result.response.executed,
                ...(dir.kept ? { dataDir: dir.path } : {}),
                ...(result.reportHtml === undefined ? {} : { report: result.reportHtml }),
              },
              null,
              2,
            ) + '\n',
          );
          return;
        }
        const terminal = terminalOf(ctx.stdout, ctx.env);
        ctx.stdout.write(
          `\nDrill ${scenario}: incident ${result.incident.id}, window ${result.incident.from} to ${result.incident.to}\n\n`,
        );
        ctx.stdout.write(formatTable(COLUMNS, scoreRows(score), { width: terminal.width }));
        ctx.stdout.write(
          `\nScore ${score.points}/${score.possible}: ${score.pass ? 'the response found and did everything expected' : 'the response missed something (see DETAIL)'}\n`,
        );
        if (dir.kept) ctx.stdout.write(`Data directory: ${dir.path}\n`);
        if (result.reportHtml) ctx.stdout.write(`Report:         ${result.reportHtml}\n`);
      } finally {
        dir.dispose();
      }
    });
};
