import type { Kysely } from 'kysely';
import { parseLedgerLog } from '../ledger/ledger-log.js';
import type { VigilDatabase } from '../store/database-schema.js';
import type { StoreGauges } from './metrics.js';

/** What `/metrics` reads from the store at scrape time: one indexed query per log, one per alert group. */
export async function storeGauges(db: Kysely<VigilDatabase>): Promise<StoreGauges> {
  const checkpoints = await db
    .selectFrom('checkpoints')
    .select(['source'])
    .select((eb) => eb.fn.max('tree_size').as('size'))
    .groupBy('source')
    .execute();
  const treeSize = new Map(checkpoints.map((c) => [c.source, Number(c.size)]));
  const newestEventMs = new Map<string, number | null>();
  for (const log of treeSize.keys()) {
    if (parseLedgerLog(log)?.kind !== 'events') continue;
    const row = await db
      .selectFrom('events')
      .select((eb) => eb.fn.max('published_ms').as('newest'))
      .where('source', '=', log)
      .executeTakeFirst();
    newestEventMs.set(log, row?.newest === null || row?.newest === undefined ? null : Number(row.newest));
  }
  const alerts = await db
    .selectFrom('alerts')
    .select(['status', 'severity'])
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .groupBy(['status', 'severity'])
    .execute();
  return {
    newestEventMs,
    treeSize,
    alerts: alerts.map((a) => ({ status: a.status, severity: a.severity, count: Number(a.count) })),
  };
}
