import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { VigilError } from '../../core/vigil-error.js';
import type { CliErrorCode } from '../errors.js';
import type { Runtime } from '../../runtime/runtime.js';
import { AccountStore, parseRole, type ConsoleUserSummary } from '../../server/auth/account-store.js';
import { ApiTokens, type ApiTokenSummary } from '../../server/auth/api-tokens.js';
import { Enrolments, enrolmentLink } from '../../server/auth/enrolment.js';
import { formatTable } from '../text-table.js';
import { terminalOf } from '../terminal.js';
import { withCommandRuntime, type CliContext, type CommandRegistrar } from '../cli-context.js';

/** Where `vigil serve` listens by default; `--url` names the address people reach it at. */
const DEFAULT_CONSOLE_URL = 'http://127.0.0.1:8443';

interface Parts {
  readonly runtime: Runtime;
  readonly accounts: AccountStore;
  readonly enrolments: Enrolments;
  readonly tokens: ApiTokens;
  /** Records a change in the audit log as the person running the command. */
  readonly audit: (action: string, target: string, details?: Record<string, unknown>) => Promise<unknown>;
}

/**
 * `vigil user add|list|disable|enable|reset` and `vigil user token add|list|revoke`: the console's
 * local accounts (issue 18: the console never signs anyone in through the watched provider). Every
 * change is recorded in the audit log (`vigil/audit`) as `cli:<os user>`.
 */
export const registerUserCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  const actor = `cli:${ctx.env['USER'] ?? userInfo().username}`;
  const writing = <T>(command: Command, use: (parts: Parts) => Promise<T>): Promise<T> =>
    withCommandRuntime(command, ctx, { access: 'write' }, (runtime) => use(partsOf(runtime, actor)));
  const reading = <T>(command: Command, use: (parts: Parts) => Promise<T>): Promise<T> =>
    withCommandRuntime(command, ctx, { access: 'read' }, (runtime) => use(partsOf(runtime, actor)));
  const out = (text: string) => ctx.stdout.write(text);

  const user = program
    .command('user')
    .description("the console's local accounts (vigil serve): passkeys, TOTP, roles, API tokens");
  user
    .command('add <name>')
    .description('add a console user and print a one-time enrolment link (valid 24 hours)')
    .requiredOption(
      '--role <role>',
      'viewer (read, tokenised), analyst (triage, reveals) or admin (users, settings)',
    )
    .option('--url <base>', "the console's address as people reach it", DEFAULT_CONSOLE_URL)
    .action(async (name: string, flags: { role: string; url: string }, command: Command) => {
      const role = parseRole(flags.role);
      const base = consoleUrl(flags.url);
      const link = await writing(command, async ({ accounts, enrolments, audit }) => {
        const added = await accounts.add(name, role);
        const { token, expires } = await enrolments.create(added.id);
        await audit('user.add', added.name, { role });
        return { link: enrolmentLink(base, token), expires };
      });
      out(`added ${name} (${role})\nenrolment link (works once, until ${link.expires}):\n${link.link}\n`);
    });
  user
    .command('list')
    .description('list console users, how they sign in, and their sessions')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }, command: Command) => {
      const users = await reading(command, ({ accounts }) => accounts.list());
      out(
        flags.json
          ? `${JSON.stringify(users, null, 2)}\n`
          : userTable(users, terminalOf(ctx.stdout, ctx.env).width),
      );
    });
  user
    .command('disable <name>')
    .description('disable a user: their sessions end, they cannot sign in, their API tokens stop working')
    .action(async (name: string, _flags: unknown, command: Command) => {
      await writing(command, async ({ accounts, audit }) => {
        await accounts.disable(name);
        await audit('user.disable', name);
      });
      out(`disabled ${name}\n`);
    });
  user
    .command('enable <name>')
    .description('enable a disabled user again')
    .action(async (name: string, _flags: unknown, command: Command) => {
      await writing(command, async ({ accounts, audit }) => {
        await accounts.enable(name);
        await audit('user.enable', name);
      });
      out(`enabled ${name}\n`);
    });
  user
    .command('reset <name>')
    .description(
      "remove a user's passkeys, TOTP, recovery codes, sessions and API tokens; print a new enrolment link",
    )
    .option('--url <base>', "the console's address as people reach it", DEFAULT_CONSOLE_URL)
    .action(async (name: string, flags: { url: string }, command: Command) => {
      const base = consoleUrl(flags.url);
      const link = await writing(command, async ({ accounts, enrolments, audit }) => {
        const found = await accounts.reset(name);
        const { token, expires } = await enrolments.create(found.id);
        await audit('user.reset', found.name);
        return { link: enrolmentLink(base, token), expires };
      });
      out(
        `reset ${name}: every credential, session and API token removed\nenrolment link (works once, until ${link.expires}):\n${link.link}\n`,
      );
    });

  const token = user
    .command('token')
    .description('API tokens for scripts (Authorization: Bearer), shown once, scoped to a role');
  token
    .command('add <name>')
    .description('make an API token for a user, with a role no higher than theirs; printed once')
    .requiredOption('--role <role>', 'viewer, analyst or admin')
    .requiredOption('--label <label>', 'what the token is for')
    .action(async (name: string, flags: { role: string; label: string }, command: Command) => {
      const role = parseRole(flags.role);
      const made = await writing(command, async ({ accounts, tokens, audit }) => {
        const owner = await accounts.require(name);
        const created = await tokens.create(owner, role, flags.label);
        await audit('user.token-add', owner.name, { token: created.summary.id, role, label: flags.label });
        return created;
      });
      ctx.stderr.write('the token is shown only now; it is stored as a hash\n');
      out(`${made.token}\nid ${made.summary.id}\n`);
    });
  token
    .command('list [name]')
    .description('list API tokens (never the tokens themselves)')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, flags: { json?: boolean }, command: Command) => {
      const list = await reading(command, async ({ accounts, tokens }) =>
        tokens.list(name === undefined ? undefined : (await accounts.require(name)).id),
      );
      out(
        flags.json
          ? `${JSON.stringify(list, null, 2)}\n`
          : tokenTable(list, terminalOf(ctx.stdout, ctx.env).width),
      );
    });
  token
    .command('revoke <id>')
    .description('revoke an API token by id')
    .action(async (id: string, _flags: unknown, command: Command) => {
      const revoked = await writing(command, async ({ tokens, audit }) => {
        const summary = await tokens.revoke(id);
        await audit('user.token-revoke', summary.user, { token: summary.id });
        return summary;
      });
      out(`revoked ${revoked.id} (${revoked.user}, ${revoked.label})\n`);
    });
};

function partsOf(runtime: Runtime, actor: string): Parts {
  const { db } = runtime.store;
  const { clock } = runtime.options;
  return {
    runtime,
    accounts: new AccountStore(db, clock),
    enrolments: new Enrolments(db, clock),
    tokens: new ApiTokens(db, clock),
    audit: (action, target, details) =>
      runtime.auditLog().record({ actor, action, target, ...(details ? { details } : {}) }),
  };
}

/** `--url`: an http(s) origin (a path is kept: a console behind a reverse proxy's prefix). */
function consoleUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid:');
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  )
    throw new VigilError<CliErrorCode>(
      'CLI_BAD_USAGE',
      `--url ${JSON.stringify(value.slice(0, 200))} is not an http(s) address like https://vigil.example:8443 (no user, query or fragment)`,
      { category: 'input' },
    );
  return url.href.replace(/\/+$/, '');
}

function userTable(users: readonly ConsoleUserSummary[], width: number): string {
  if (users.length === 0) return 'no console users (vigil user add NAME --role ROLE)\n';
  const rows = users.map((u) => [
    u.name,
    u.role,
    u.disabled
      ? 'disabled'
      : u.passkeys + (u.totp ? 1 : 0) > 0
        ? 'active'
        : u.enrolmentPending
          ? 'enrolling'
          : 'no credential',
    String(u.passkeys),
    u.totp ? 'yes' : 'no',
    String(u.recoveryCodesLeft),
    String(u.activeSessions),
    u.created.slice(0, 10),
  ]);
  const headers = ['NAME', 'ROLE', 'STATE', 'PASSKEYS', 'TOTP', 'RECOVERY', 'SESSIONS', 'CREATED'];
  return `${formatTable(
    headers.map((header) => ({ header })),
    rows,
    { width },
  )}\n`;
}

function tokenTable(tokens: readonly ApiTokenSummary[], width: number): string {
  if (tokens.length === 0) return 'no API tokens\n';
  const rows = tokens.map((t) => [
    t.id,
    t.user,
    t.role,
    t.label,
    t.lastUsed ?? 'never',
    t.revoked ? `revoked ${t.revoked}` : 'active',
  ]);
  const headers = ['ID', 'USER', 'ROLE', 'LABEL', 'LAST USED', 'STATE'];
  return `${formatTable(
    headers.map((header) => ({ header, ...(header === 'LABEL' ? { shrink: true } : {}) })),
    rows,
    { width },
  )}\n`;
}
