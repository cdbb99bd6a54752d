import type { CommandRegistrar } from '../cli-context.js';

/**
 * A command whose module (and everything it imports) is loaded only when it is run or help is
 * asked for (issue 20): `vigil collect` loads neither the simulator nor the console's web server.
 * `names` are the top-level commands its registrar adds (test/cli/lazy-commands.test.ts checks them).
 */
export interface LazyCommand {
  readonly names: readonly string[];
  readonly load: () => Promise<CommandRegistrar>;
}

/** A plain registrar is loaded with the CLI; a lazy one, on demand. */
export type CommandEntry = CommandRegistrar | LazyCommand;

const lazy = (names: readonly string[], load: () => Promise<CommandRegistrar>): LazyCommand => ({
  names,
  load,
});

/** Every `vigil` command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  lazy(['demo'], async () => (await import('./demo.js')).registerDemoCommand),
  lazy(['sim'], async () => (await import('./sim.js')).registerSimCommand),
  lazy(['source'], async () => (await import('./source.js')).registerSourceCommand),
  lazy(['config'], async () => (await import('./config.js')).registerConfigCommand),
  lazy(['collect'], async () => (await import('./collect.js')).registerCollectCommand),
  lazy(['events'], async () => (await import('./events.js')).registerEventsCommand),
  lazy(['verify'], async () => (await import('./verify.js')).registerVerifyCommand),
  lazy(['ledger'], async () => (await import('./ledger.js')).registerLedgerCommand),
  lazy(['export', 'verify-bundle'], async () => (await import('./export.js')).registerExportCommands),
  lazy(['detect'], async () => (await import('./detect.js')).registerDetectCommand),
  lazy(['alerts'], async () => (await import('./alerts.js')).registerAlerts),
  lazy(['posture'], async () => (await import('./posture.js')).registerPostureCommand),
  lazy(['canary'], async () => (await import('./canary.js')).registerCanaryCommand),
  lazy(['incident'], async () => (await import('./incident.js')).registerIncidentCommand),
  lazy(['serve'], async () => (await import('./serve.js')).registerServeCommand),
  lazy(['witness'], async () => (await import('./witness.js')).registerWitnessCommand),
  lazy(['audit'], async () => (await import('./audit.js')).registerAuditCommand),
  lazy(['user'], async () => (await import('./user.js')).registerUserCommand),
  lazy(['support'], async () => (await import('./support.js')).registerSupportCommand),
  lazy(['contain'], async () => (await import('./contain.js')).registerContainCommand),
  lazy(['drill'], async () => (await import('./drill.js')).registerDrillCommand),
];

/** Global options of `vigil` that take a value (the token after them is not a command). */
const GLOBAL_WITH_VALUE = new Set(['--data']);

/** The command `argv` (`node vigil ...`) runs: its first word that is not a global option. */
export function commandNameOf(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (GLOBAL_WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/** Whether `argv` runs a command that collects: `vigil collect`, `vigil serve --collect`. */
export function collectsFrom(argv: readonly string[]): boolean {
  const command = commandNameOf(argv);
  return command === 'collect' || (command === 'serve' && argv.includes('--collect'));
}

/**
 * The registrars `argv` needs, in order: the command's own and every plain one; all of them for a
 * bare `vigil`, `--help`, `help` or a name no command has (commander then lists or suggests); only
 * the plain ones for `--version`.
 */
export async function registrarsFor(
  argv: readonly string[],
  entries: readonly CommandEntry[] = COMMANDS,
): Promise<CommandRegistrar[]> {
  const name = commandNameOf(argv);
  // `vigil --version` prints the version and nothing else: no command needs loading (all of them
  // cost 80 MiB and a quarter of a second).
  if (
    name === undefined &&
    argv.some((a) => a === '-V' || a === '--version') &&
    !argv.some((a) => a === '--help' || a === '-h')
  )
    return entries.filter((e): e is CommandRegistrar => typeof e === 'function');
  const named = entries.some((e) => typeof e !== 'function' && name !== undefined && e.names.includes(name));
  const wanted = entries.filter(
    (e) => typeof e === 'function' || !named || (name !== undefined && e.names.includes(name)),
  );
  return Promise.all(wanted.map((e) => (typeof e === 'function' ? e : e.load())));
}
