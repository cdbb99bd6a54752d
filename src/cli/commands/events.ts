import type { Command } from 'commander';
import { searchEvents } from '../../custody/event-search.js';
import { isoTimeFlag, positiveIntegerFlag } from '../flag-parsers.js';
import { terminalOf } from '../terminal.js';
import { formatTable } from '../text-table.js';
import { withCommandRuntime, type CliContext, type CommandRegistrar } from '../cli-context.js';

/** The columns of `vigil events`; type and actor give way first when the terminal is narrow. */
const EVENT_COLUMNS = [
  { header: 'PUBLISHED' },
  { header: 'TYPE', shrink: true, min: 16 },
  { header: 'ACTOR', shrink: true, min: 12 },
  { header: 'IP', shrink: true, min: 7 },
  { header: 'OUTCOME', shrink: true, min: 7 },
];

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
  rewritten?: boolean;
}

const REWRITTEN_COLUMNS = [
  { header: 'SEEN' },
  { header: 'SOURCE', shrink: true, min: 6 },
  { header: 'EVENT', shrink: true, min: 12 },
  { header: 'STORED SHA-256', shrink: true, min: 12 },
  { header: 'NEW SHA-256', shrink: true, min: 12 },
];

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
    .option(
      '--rewritten',
      'list events the provider re-served with different content (both digests; --json adds the new bytes)',
    )
    .action(async (flags: EventFlags, cmd: Command) => {
      if (flags.rewritten) {
        const found = await withCommandRuntime(cmd, ctx, { access: 'read' }, (runtime) =>
          runtime.custody().rewrittenEvents(flags.source),
        );
        if (flags.json || flags.jsonl) ctx.stdout.write(JSON.stringify(found, null, 2) + '\n');
        else {
          const table = found.map((r) => [
            new Date(Number(r.seen_at_ms)).toISOString(),
            r.source,
            r.provider_id,
            r.stored_sha256,
            r.new_sha256,
          ]);
          ctx.stdout.write(
            formatTable(REWRITTEN_COLUMNS, table, { width: terminalOf(ctx.stdout, ctx.env).width }),
          );
          ctx.stdout.write(`${found.length} rewritten event version(s)\n`);
        }
        return;
      }
      const limit = positiveIntegerFlag('limit', flags.limit)!;
      const from = isoTimeFlag('from', flags.from);
      const to = isoTimeFlag('to', flags.to);
      const rows = await withCommandRuntime(cmd, ctx, { access: 'read' }, (runtime) =>
        searchEvents(runtime.store.db, {
          ...flags,
          ...(from === undefined ? {} : { fromMs: from }),
          ...(to === undefined ? {} : { toMs: to }),
          limit,
        }),
      );
      if (flags.jsonl) for (const r of rows) ctx.stdout.write(r.raw + '\n');
      else if (flags.json) ctx.stdout.write('[' + rows.map((r) => r.raw).join(',\n') + ']\n');
      else {
        // Every cell is provider text: formatTable passes each through safeText.
        const table = rows.map((r) => [
          r.published,
          r.eventType,
          r.actor ?? '',
          r.clientIp ?? '',
          r.outcome ?? '',
        ]);
        ctx.stdout.write(formatTable(EVENT_COLUMNS, table, { width: terminalOf(ctx.stdout, ctx.env).width }));
        ctx.stdout.write(`${rows.length} event(s)\n`);
      }
    });
};
