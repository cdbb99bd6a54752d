import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { exportEvidence } from '../../custody/evidence-export.js';
import { parseLedgerLog } from '../../ledger/ledger-log.js';
import { verifyCustody } from '../../verify/custody-verifier.js';
import { VigilError } from '../../core/vigil-error.js';
import { custodyPage, type CustodyView } from '../../web/custody-page.js';
import { consoleRoute } from '../console-route.js';
import type { ConsoleServices } from '../console-services.js';
import { pageUser, sendPage } from '../page-reply.js';
import { isoMs, requestInput } from '../request-input.js';

const exportBody = z.object({
  source: z.string().min(1).max(200),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
});

export async function custodyView(services: ConsoleServices): Promise<CustodyView> {
  const db = services.runtime.store.db;
  const rows = await db
    .selectFrom('checkpoints')
    .select(['source'])
    .select((eb) => [eb.fn.max('id').as('latest'), eb.fn.countAll<number>().as('count')])
    .groupBy('source')
    .orderBy('source')
    .execute();
  const logs: CustodyView['logs'][number][] = [];
  for (const r of rows) {
    const cp = await db
      .selectFrom('checkpoints')
      .select(['tree_size', 'created_at_ms', 'note'])
      .where('id', '=', Number(r.latest))
      .executeTakeFirstOrThrow();
    logs.push({
      log: r.source,
      kind: parseLedgerLog(r.source)?.kind ?? 'unknown',
      treeSize: Number(cp.tree_size),
      checkpoints: Number(r.count),
      signedAt: new Date(Number(cp.created_at_ms)).toISOString(),
      note: cp.note,
    });
  }
  const audit = (action: string) => services.audit.list({ action, limit: 10 });
  return {
    logs,
    verifications: (await audit('custody.verify')).map((v) => ({
      at: v.time,
      by: v.actor,
      ok: v.details?.['ok'] === true,
      findings: Number(v.details?.['findings'] ?? 0),
    })),
    exports: (await audit('custody.export')).map((e) => ({
      at: e.time,
      by: e.actor,
      source: e.target ?? '',
      events: Number(e.details?.['events'] ?? 0),
      folder: String(e.details?.['folder'] ?? ''),
    })),
  };
}

/** `vigil verify` from the console: the whole store, against the data directory's verifier keys. */
async function runVerify(services: ConsoleServices, actor: string) {
  const { runtime } = services;
  const sources = runtime.config.sources.map((s) => ({ name: s.name, format: s.type }));
  const report = await verifyCustody(runtime.custodyReader(), {
    verifierFor: runtime.verifierKeys(),
    ...(sources.length > 0 ? { sources } : {}),
  });
  services.metrics.verifyRuns.inc({ result: report.ok ? 'pass' : 'fail' });
  await services.audit.record({
    actor,
    action: 'custody.verify',
    details: { ok: report.ok, findings: report.findings.length + report.truncated },
  });
  return report;
}

/**
 * An evidence bundle (custody/evidence-export.ts) written into `exports/` in the data directory. It
 * holds the provider's events verbatim (the proofs are over those bytes): admins only, and recorded.
 */
async function runExport(services: ConsoleServices, actor: string, body: z.infer<typeof exportBody>) {
  const { runtime, clock } = services;
  const fromMs = isoMs(body.from, 'from');
  const toMs = isoMs(body.to, 'to');
  const verifier = runtime.verifierKeys()(body.source);
  if (!verifier)
    throw new VigilError('CONSOLE_NOT_FOUND', `no verifier key for ${body.source}`, {
      category: 'input',
      details: { source: body.source },
    });
  const root = path.join(runtime.dataDir, 'exports');
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const stamp = new Date(clock.now()).toISOString().replace(/[:.]/g, '-');
  const folder = path.join(root, `${body.source}-${stamp}-${randomUUID().slice(0, 8)}`);
  const result = await exportEvidence(runtime.store.db, runtime.custody().hashReader(body.source), verifier, {
    log: body.source,
    ...(fromMs === undefined ? {} : { fromMs }),
    ...(toMs === undefined ? {} : { toMs }),
    out: folder,
  });
  await services.audit.record({
    actor,
    action: 'custody.export',
    target: body.source,
    details: {
      folder,
      events: result.events,
      treeSize: result.treeSize,
      from: body.from ?? null,
      to: body.to ?? null,
    },
  });
  return { folder, ...result };
}

export function registerCustodyRoutes(app: FastifyInstance, services: ConsoleServices): void {
  consoleRoute(app, {
    method: 'GET',
    url: '/api/v1/custody',
    access: 'viewer',
    handler: () => custodyView(services),
  });
  consoleRoute(app, {
    method: 'POST',
    url: '/api/v1/custody/verify',
    access: 'analyst',
    handler: async (request) => ({ report: await runVerify(services, request.principal!.name) }),
  });
  consoleRoute(app, {
    method: 'POST',
    url: '/api/v1/custody/export',
    access: 'admin',
    handler: async (request) =>
      runExport(services, request.principal!.name, requestInput(exportBody, request.body, 'body')),
  });
  consoleRoute(app, {
    method: 'GET',
    url: '/custody',
    access: 'viewer',
    page: true,
    handler: async (request, reply) =>
      sendPage(
        reply,
        custodyPage(services.tokenizer.tokenizeEvent(await custodyView(services)), pageUser(request)),
      ),
  });
}
