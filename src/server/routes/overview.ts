import type { FastifyInstance } from 'fastify';
import { parseLedgerLog } from '../../ledger/ledger-log.js';
import { recordReads } from '../../custody/record-reads.js';
import { overviewPage, type OverviewView, type SourceOverview } from '../../web/overview-page.js';
import { consoleRoute } from '../console-route.js';
import type { ConsoleServices } from '../console-services.js';
import { pageUser, sendPage } from '../page-reply.js';

/** Event logs the store holds (with a checkpoint) and the configured sources, by name. */
export async function eventLogs(services: ConsoleServices): Promise<string[]> {
  const { runtime } = services;
  const rows = await runtime.store.db.selectFrom('checkpoints').select('source').distinct().execute();
  const stored = rows.map((r) => r.source).filter((log) => parseLedgerLog(log)?.kind === 'events');
  const configured = runtime.config.sources.map((s) => s.name);
  return [...new Set([...configured, ...stored])].filter((s) => s !== 'vigil').sort();
}

/** The last verification run from the console, from the audit log (`custody.verify`). */
async function lastVerification(services: ConsoleServices): Promise<SourceOverview['verification']> {
  const [last] = await services.audit.list({ action: 'custody.verify', limit: 1 });
  if (!last) return null;
  return { ok: last.details?.['ok'] === true, at: last.time, by: last.actor };
}

export async function overview(services: ConsoleServices): Promise<OverviewView> {
  const { runtime, clock, health } = services;
  const db = runtime.store.db;
  const now = clock.now();
  const verification = await lastVerification(services);
  const records = recordReads(db);
  const sources: SourceOverview[] = [];
  for (const source of await eventLogs(services)) {
    const cp = await db
      .selectFrom('checkpoints')
      .select(['tree_size', 'created_at_ms'])
      .where('source', '=', source)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const newest = await db
      .selectFrom('events')
      .select(['published', 'published_ms'])
      .where('source', '=', source)
      .orderBy('published_ms', 'desc')
      .limit(1)
      .executeTakeFirst();
    const open = await db
      .selectFrom('alerts')
      .select('severity')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source', '=', source)
      .where('status', '=', 'open')
      .groupBy('severity')
      .execute();
    const shadow = await db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source', '=', source)
      .where('rule_id', '=', 'vigil-posture-shadow-change')
      .where('status', '!=', 'resolved')
      .executeTakeFirstOrThrow();
    const snapshot = await records.latest(source, 'config-snapshots');
    const canaryRecords = await db
      .selectFrom('ledger_records')
      .select(['body', 'time'])
      .where('log', '=', `${source}/canary-results`)
      .orderBy('leaf_index', 'desc')
      .limit(50)
      .execute();
    const probes = canaryRecords
      .map((r) => ({ time: r.time, body: safeJson(r.body) }))
      .filter((r) => r.body?.['kind'] === 'probe');
    const lastRound = health.lastRound(source);
    sources.push({
      source,
      events: cp ? Number(cp.tree_size) : 0,
      lastEvent: newest?.published ?? null,
      lagSeconds: newest ? Math.max(0, (now - Number(newest.published_ms)) / 1000) : null,
      lastCheckpoint: cp
        ? { treeSize: Number(cp.tree_size), signedAt: new Date(Number(cp.created_at_ms)).toISOString() }
        : null,
      verification,
      openAlerts: Object.fromEntries(open.map((o) => [o.severity, Number(o.n)])),
      posture: snapshot
        ? { snapshot: snapshot.id, takenAt: snapshot.time, shadowAlerts: Number(shadow.n) }
        : null,
      canaries:
        probes.length === 0
          ? null
          : {
              pass: probes.filter((p) => p.body?.['status'] === 'pass').length,
              fail: probes.filter((p) => p.body?.['status'] !== 'pass').length,
              lastAt: probes[0]!.time,
            },
      collection: health.collecting
        ? { lastRound: lastRound === undefined ? null : new Date(lastRound).toISOString() }
        : null,
    });
  }
  return { now: new Date(now).toISOString(), sources };
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function registerOverviewRoutes(app: FastifyInstance, services: ConsoleServices): void {
  consoleRoute(app, {
    method: 'GET',
    url: '/api/v1/overview',
    access: 'viewer',
    handler: () => overview(services),
  });
  consoleRoute(app, {
    method: 'GET',
    url: '/',
    access: 'viewer',
    page: true,
    handler: async (request, reply) =>
      sendPage(
        reply,
        overviewPage(services.tokenizer.tokenizeEvent(await overview(services)), pageUser(request)),
      ),
  });
}
