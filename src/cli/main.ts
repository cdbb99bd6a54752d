import { Command, CommanderError } from 'commander';
import { DEFAULT_HEAP_GROWTH_PERCENT } from '../core/heap-policy.js';
import { isVigilError } from '../core/vigil-error.js';
import { defaultCliContext, type CliContext, type CommandRegistrar } from './cli-context.js';
import { EXIT_USAGE, exitCodeFor } from './exit-codes.js';
import { collectsFrom, registrarsFor } from './commands/index.js';
import { packageVersion } from './package-version.js';
import { safeText } from './safe-text.js';

/** Builds the `vigil` program with the given commands registered against one context. */
export function buildProgram(ctx: CliContext, registrars: readonly CommandRegistrar[]): Command {
  const program = new Command('vigil')
    .description('Independent custody, detection and response for your identity provider (Okta) audit log.')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .option('--data <dir>', 'data directory (default: $VIGIL_HOME, else ./vigil-data)')
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .exitOverride()
    .showHelpAfterError();
  for (const register of registrars) register(program, ctx);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

/** Runs one invocation and returns its exit code. The only caller of process.exit is bin/vigil.js. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  // Only the command being run is loaded, with what it imports (commands/index.ts, issue 20).
  const program = buildProgram(ctx, await registrarsFor(argv));
  try {
    await program.parseAsync([...argv]);
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version arrive here too, with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (isVigilError(error)) {
      // Messages quote inputs (file names, provider bodies, event fields): no escapes reach the terminal.
      ctx.stderr.write(`vigil: ${safeText(error.message, { multiline: true })} [${error.code}]\n`);
    } else {
      ctx.stderr.write(
        `vigil: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    return exitCodeFor(error);
  }
}

/**
 * The process's run: SIGINT and SIGTERM abort the command, which stops cleanly; bin/vigil.js then
 * exits with the returned code. A second signal while the command is still stopping ends it at once
 * (exit 130 / 143), so a stuck shutdown never makes a process impossible to stop.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const ctx = defaultCliContext(controller.signal);
  // A collector's memory policy before its modules load: V8's young generation grows while they do
  // and keeps that size (core/heap-policy.ts). vigil.yaml may change it once read.
  if (collectsFrom(argv)) ctx.heapPolicy?.(DEFAULT_HEAP_GROWTH_PERCENT);
  return runCli(argv, ctx);
}
