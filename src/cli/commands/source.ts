import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { VigilError } from '../../core/vigil-error.js';
import type { ConfigErrorCode } from '../../config/errors.js';
import { loadConfig, saveConfig, vigilConfigSchema } from '../../config/vigil-config.js';
import { dataDirOf, type CliContext, type CommandRegistrar } from '../cli-context.js';

/** `vigil source add|list|remove`: the sources in vigil.yaml (tokens by reference only). */
export const registerSourceCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const source = program.command('source').description('add, list or remove sources');
  source
    .command('add <type>')
    .description('add a source (type: okta)')
    .requiredOption('--name <name>', 'source name (lower-case, digits, dashes)')
    .requiredOption('--url <url>', 'the org URL, e.g. https://example.okta.com')
    .option('--token-env <VAR>', 'environment variable holding the API token')
    .option('--token-file <path>', 'file holding the API token (mode 0600)')
    .action(
      (
        type: string,
        flags: { name: string; url: string; tokenEnv?: string; tokenFile?: string },
        cmd: Command,
      ) => {
        if (type !== 'okta')
          throw new VigilError('CLI_BAD_SOURCE_TYPE', `unknown source type '${type}' (supported: okta)`, {
            category: 'input',
          });
        const dataDir = dataDirOf(cmd, ctx);
        mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        const config = loadConfig(dataDir);
        if (config.sources.some((s) => s.name === flags.name)) {
          throw new VigilError<ConfigErrorCode>(
            'CONFIG_SOURCE_EXISTS',
            `source '${flags.name}' already exists`,
            { category: 'input' },
          );
        }
        const entry = {
          name: flags.name,
          type: 'okta' as const,
          url: flags.url.replace(/\/$/, ''),
          ...(flags.tokenEnv ? { tokenEnv: flags.tokenEnv } : {}),
          // A path on the command line is the caller's (cwd); vigil.yaml keeps it absolute.
          ...(flags.tokenFile ? { tokenFile: path.resolve(ctx.cwd, flags.tokenFile) } : {}),
        };
        const next = vigilConfigSchema.safeParse({ ...config, sources: [...config.sources, entry] });
        if (!next.success) {
          const issue = next.error.issues[0]!;
          throw new VigilError<ConfigErrorCode>(
            'CONFIG_INVALID',
            `source ${flags.name}: ${issue.path.slice(2).join('.') || 'token'}: ${issue.message}`,
            { category: 'input' },
          );
        }
        saveConfig(dataDir, next.data);
        ctx.stdout.write(`added source ${flags.name} (${flags.url})\n`);
      },
    );
  source
    .command('list')
    .description('list sources')
    .option('--json', 'print JSON')
    .action((flags: { json?: boolean }, cmd: Command) => {
      const dataDir = dataDirOf(cmd, ctx);
      const sources = existsSync(dataDir) ? loadConfig(dataDir).sources : [];
      if (flags.json) ctx.stdout.write(JSON.stringify(sources, null, 2) + '\n');
      else
        for (const s of sources)
          ctx.stdout.write(
            `${s.name}\t${s.type}\t${s.url}\ttoken from ${s.tokenEnv ? `$${s.tokenEnv}` : s.tokenFile}\n`,
          );
    });
  source
    .command('remove <name>')
    .description('remove a source (its stored events and ledger stay)')
    .action((name: string, _flags: unknown, cmd: Command) => {
      const dataDir = dataDirOf(cmd, ctx);
      const config = loadConfig(dataDir);
      if (!config.sources.some((s) => s.name === name)) {
        throw new VigilError<ConfigErrorCode>('CONFIG_SOURCE_UNKNOWN', `no source named '${name}'`, {
          category: 'input',
        });
      }
      saveConfig(dataDir, { ...config, sources: config.sources.filter((s) => s.name !== name) });
      ctx.stdout.write(`removed source ${name}\n`);
      // Its events and ledger stay; verify re-derives their columns with the source's format, so it
      // names the log until the source is configured again.
      ctx.stderr.write(
        `vigil source remove: the stored events and ledger of ${name} stay; vigil verify reports them as SOURCE_NOT_CONFIGURED until the source is added again\n`,
      );
    });
};
