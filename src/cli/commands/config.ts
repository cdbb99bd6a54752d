import path from 'node:path';
import type { Command } from 'commander';
import { checkConfigFile } from '../../config/config-check.js';
import { describeProblem } from '../../config/config-document.js';
import { CONFIG_FILE } from '../../config/vigil-config.js';
import { dataDirOf, type CliContext, type CommandRegistrar } from '../cli-context.js';

/**
 * `vigil config check [--file F] [--json]`: validates a configuration without opening anything and
 * names every problem with its key path; exit 0 when a collector would start with it, else 2.
 */
export const registerConfigCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const config = program.command('config').description('check the configuration (vigil.yaml)');
  config
    .command('check')
    .description(
      'validate vigil.yaml and everything it refers to (tokens, sink secrets, CA files, rule folders); list every problem',
    )
    .option('--file <path>', 'the file to check (default: vigil.yaml in the data directory)')
    .option('--json', 'print {file, ok, problems: [{path, line, message}]}')
    .action(async (flags: { file?: string; json?: boolean }, cmd: Command) => {
      const file = flags.file
        ? path.resolve(ctx.cwd, flags.file)
        : path.join(dataDirOf(cmd, ctx), CONFIG_FILE);
      const { problems, config: parsed } = await checkConfigFile(file, ctx.env);
      if (problems.length > 0) ctx.exitCode = 2;
      if (flags.json) {
        const listed = problems.map(({ path: key, line, message }) => ({
          path: key,
          line: line ?? null,
          message,
        }));
        ctx.stdout.write(
          JSON.stringify({ file, ok: problems.length === 0, problems: listed }, null, 2) + '\n',
        );
        return;
      }
      if (problems.length === 0) {
        const sources = parsed?.sources.length ?? 0;
        const sinks = parsed?.alerts.sinks.length ?? 0;
        ctx.stdout.write(`${file}: OK (${sources} source(s), ${sinks} alert sink(s))\n`);
        return;
      }
      ctx.stdout.write(`${file}: ${problems.length} problem(s)\n`);
      for (const problem of problems) ctx.stdout.write(`  ${describeProblem(problem)}\n`);
    });
};
