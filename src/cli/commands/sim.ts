import { Option, type Command } from 'commander';
import { VigilError } from '../../core/vigil-error.js';
import { ALL_FAULTS, type FaultOptions } from '../../sim/faults.js';
import { startSimulator } from '../../sim/simulator.js';
import { writeTruthFile } from '../../sim/truth-file.js';
import type { CliContext, CommandRegistrar } from '../cli-context.js';

const int = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new VigilError('CLI_BAD_NUMBER', `--${name} must be a non-negative integer, got '${value}'`, {
      category: 'input',
    });
  }
  return n;
};
const rate = (name: string) => (value: string) => {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) {
    throw new VigilError(
      'CLI_BAD_NUMBER',
      `--${name} must be a probability between 0 and 1, got '${value}'`,
      { category: 'input' },
    );
  }
  return n;
};

interface SimFlags {
  port: number;
  host: string;
  seed: number;
  users: number;
  days: number;
  token: string;
  rateLimit: number;
  truth?: string;
  scenario: string[];
  allFaults?: boolean;
  control?: boolean;
  fault429?: number;
  fault5xx?: number;
  faultSlow?: number;
  faultTruncate?: number;
  faultMalformed?: number;
  faultDuplicate?: number;
  faultDuplicateInPage?: number;
  faultConcurrency429?: number;
  faultLate?: number;
  faultPollingSkip?: number;
}

/** `vigil sim`: the Okta-compatible System Log server, until stopped. */
export const registerSimCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  program
    .command('sim')
    .description('run the Okta-compatible simulator (System Log API) on loopback')
    .option('--port <n>', 'port (0 = any free port)', int('port'), 8089)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--seed <n>', 'seed: the same seed, the same org and events', int('seed'), 1)
    .option('--users <n>', 'people in the organisation', int('users'), 200)
    .option('--days <n>', 'days of history before now', int('days'), 7)
    .option('--token <t>', 'the SSWS API token to accept', 'sim-token')
    .option('--rate-limit <n>', 'requests per minute on /api/v1/logs', int('rate-limit'), 120)
    .option(
      '--truth <file>',
      'write every event the simulator holds as JSON lines (rewritten on SIGUSR1 and when it stops)',
    )
    .option(
      '--scenario <name>',
      'add an attack scenario (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--all-faults', 'turn every fault on at test rates')
    .option(
      '--control',
      'serve the control endpoints for tests and drills: POST /sim/shadow-change (a configuration change no log event records), POST /sim/api-tokens, POST /sim/users (canary users with password and TOTP secret), POST /sim/enforcement and POST /sim/log-suppression (a provider that stops enforcing its policies or logging), POST /sim/support-cases and POST /sim/support-activity (Okta Support opening cases and acting in the org; docs/simulator-response.md)',
    )
    .addOption(
      new Option(
        '--fault-429 <p>',
        'share of requests on which another integration drains the rate bucket',
      ).argParser(rate('fault-429')),
    )
    .addOption(
      new Option(
        '--fault-concurrency-429 <p>',
        'share of requests refused as concurrent (limit 0)',
      ).argParser(rate('fault-concurrency-429')),
    )
    .addOption(
      new Option('--fault-5xx <p>', 'share of requests answered 500/503').argParser(rate('fault-5xx')),
    )
    .addOption(new Option('--fault-slow <p>', 'share of responses delayed 5 s').argParser(rate('fault-slow')))
    .addOption(
      new Option('--fault-truncate <p>', 'share of bodies cut off').argParser(rate('fault-truncate')),
    )
    .addOption(
      new Option('--fault-malformed <p>', 'share of bodies that are not JSON').argParser(
        rate('fault-malformed'),
      ),
    )
    .addOption(
      new Option(
        '--fault-duplicate <p>',
        "share of pages starting with the previous page's last event",
      ).argParser(rate('fault-duplicate')),
    )
    .addOption(
      new Option('--fault-duplicate-in-page <p>', 'share of pages repeating their own first event').argParser(
        rate('fault-duplicate-in-page'),
      ),
    )
    .addOption(
      new Option('--fault-late <p>', 'share of events committed up to 5 minutes late').argParser(
        rate('fault-late'),
      ),
    )
    .addOption(
      new Option(
        '--fault-polling-skip <p>',
        'share of events published in the last 10 minutes that polling pages leave out',
      ).argParser(rate('fault-polling-skip')),
    )
    .action(async (flags: SimFlags) => {
      const faults: FaultOptions = {
        ...(flags.allFaults ? ALL_FAULTS : {}),
        ...(flags.fault429 === undefined ? {} : { rateLimitStormRate: flags.fault429 }),
        ...(flags.faultConcurrency429 === undefined
          ? {}
          : { concurrencyLimitRate: flags.faultConcurrency429 }),
        ...(flags.fault5xx === undefined ? {} : { serverErrorRate: flags.fault5xx }),
        ...(flags.faultSlow === undefined ? {} : { slowRate: flags.faultSlow, slowMs: 5_000 }),
        ...(flags.faultTruncate === undefined ? {} : { truncateRate: flags.faultTruncate }),
        ...(flags.faultMalformed === undefined ? {} : { malformedRate: flags.faultMalformed }),
        ...(flags.faultDuplicate === undefined ? {} : { duplicateRate: flags.faultDuplicate }),
        ...(flags.faultDuplicateInPage === undefined
          ? {}
          : { duplicateInPageRate: flags.faultDuplicateInPage }),
        ...(flags.faultLate === undefined ? {} : { lateRate: flags.faultLate, lateMaxMs: 5 * 60_000 }),
        ...(flags.faultPollingSkip === undefined ? {} : { pollingSkipRate: flags.faultPollingSkip }),
      };
      const sim = await startSimulator({
        port: flags.port,
        host: flags.host,
        seed: flags.seed,
        users: flags.users,
        days: flags.days,
        token: flags.token,
        rateLimitPerMinute: flags.rateLimit,
        scenarios: flags.scenario.map((name) => ({ name })),
        faults,
        control: flags.control ?? false,
        clock: ctx.clock,
      });
      // The truth grows with live traffic: rewritten on SIGUSR1 and when the simulator stops.
      const truthFile = flags.truth;
      const writeTruth = truthFile ? () => writeTruthFile(truthFile, sim.held()) : () => undefined;
      writeTruth();
      process.on('SIGUSR1', writeTruth);
      ctx.stdout.write(`vigil sim: Okta System Log API at ${sim.baseUrl}/api/v1/logs\n`);
      ctx.stdout.write(
        `org URL: ${sim.baseUrl}\nAPI token: ${sim.token}  (Authorization: SSWS ${sim.token})\n`,
      );
      if (flags.control)
        ctx.stdout.write(
          `control: POST ${sim.baseUrl}/sim/shadow-change (no System Log event), /sim/users, /sim/enforcement, /sim/log-suppression, /sim/support-cases, /sim/support-activity\n`,
        );
      ctx.stdout.write(
        `${sim.truth().length} events over ${flags.days} days for ${flags.users} users; serving until stopped\n`,
      );
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      process.off('SIGUSR1', writeTruth);
      writeTruth();
      await sim.close();
    });
};
