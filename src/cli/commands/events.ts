import type { Command } from 'commander';
import { VigilError } from '../../core/vigil-error.js';
import { openSqliteStore } from '../../store/sqlite/open-sqlite.js';
import { isoTimeFlag } from '../flag-parsers.js';
import { dataDirOf, type CliContext, type CommandRegistrar } from '../cli-context.js';

interface EventFlags {
  source?: string;
  from?: string;
  to?: string;
  type?: string;
  actor?: string;
  target?: string;
  ip?: string;
  outcome?: string;
  text?: string;
  limit: string;
  json?: boolean;
  jsonl?: boolean;
}

/** `vigil events`: search the custody store. */
export const registerEventsCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  program
    .command('events')
    .description('search stored events')
    .option('--source <name>', 'only this source')
    .option('--from <iso>', 'published at or after')
    .option('--to <iso>', 'published before')
    .option('--type <eventType>', 'event type (a trailing * matches a prefix)')
    .option('--actor <id|login>', 'actor id or login')
    .option('--target <id|name>', 'a target id or name')
    .option('--ip <address>', 'client IP')
    .option('--outcome <result>', 'SUCCESS, FAILURE, ...')
    .option('--text <words>', 'free text in the event JSON')
    .option('--limit <n>', 'at most this many (newest first)', '100')
    .option('--json', 'print a JSON array of the verbatim events')
    .option('--jsonl', 'print the verbatim events, one per line')
    .action(async (flags: EventFlags, cmd: Command) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new VigilError('CLI_BAD_NUMBER', '--limit must be a positive integer', { category: 'input' });
      const from = isoTimeFlag('from', flags.from);
      const to = isoTimeFlag('to', flags.to);
      const db = await openSqliteStore(dataDirOf(cmd, ctx));
      try {
        let q = db.selectFrom('events').selectAll();
        if (flags.source) q = q.where('source', '=', flags.source);
        if (from !== undefined) q = q.where('published_ms', '>=', from);
        if (to !== undefined) q = q.where('published_ms', '<', to);
        if (flags.type)
          q = flags.type.endsWith('*')
            ? q.where('event_type', 'like', flags.type.slice(0, -1) + '%')
            : q.where('event_type', '=', flags.type);
        if (flags.actor)
          q = q.where((eb) =>
            eb.or([eb('actor_id', '=', flags.actor!), eb('actor_alternate_id', '=', flags.actor!)]),
          );
        if (flags.target)
          q = q.where((eb) =>
            eb.or([
              eb('target_ids', 'like', `%${flags.target}%`),
              eb('target_names', 'like', `%${flags.target}%`),
            ]),
          );
        if (flags.ip) q = q.where('client_ip', '=', flags.ip);
        if (flags.outcome) q = q.where('outcome_result', '=', flags.outcome.toUpperCase());
        if (flags.text) q = q.where('raw', 'like', `%${flags.text}%`);
        const rows = await q.orderBy('published_ms', 'desc').limit(limit).execute();
        if (flags.jsonl) for (const r of rows) ctx.stdout.write(r.raw + '\n');
        else if (flags.json) ctx.stdout.write('[' + rows.map((r) => r.raw).join(',\n') + ']\n');
        else {
          ctx.stdout.write(
            'published                 type                                  actor                          ip               outcome\n',
          );
          for (const r of rows) {
            ctx.stdout.write(
              `${r.published.padEnd(25)} ${r.event_type.padEnd(37)} ${(r.actor_alternate_id ?? r.actor_id ?? '').slice(0, 30).padEnd(30)} ${(r.client_ip ?? '').padEnd(16)} ${r.outcome_result ?? ''}\n`,
            );
          }
          ctx.stdout.write(`${rows.length} event(s)\n`);
        }
      } finally {
        await db.destroy();
      }
    });
};
