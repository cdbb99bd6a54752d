import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseCanaryRecord } from '../../canary/canary-record.js';
import { recordReads } from '../../custody/record-reads.js';
import { canariesPage, type CanariesView } from '../../web/canaries-page.js';
import { consoleRoute } from '../console-route.js';
import type { ConsoleServices } from '../console-services.js';
import { pageUser, sendPage } from '../page-reply.js';
import { requestInput } from '../request-input.js';
import { eventLogs } from './overview.js';

const canaryQuery = z.object({
  source: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** Canary probes and their log checks, newest first, as ledgered in `<source>/canary-results`. */
export async function canariesView(services: ConsoleServices, query: unknown): Promise<CanariesView> {
  const q = requestInput(canaryQuery, query, 'query');
  const db = services.runtime.store.db;
  const sources = q.source ? [q.source] : await eventLogs(services);
  const results: CanariesView['results'][number][] = [];
  for (const source of sources) {
    const newest = await recordReads(db).latest(source, 'canary-results');
    if (!newest) continue;
    const records = await recordReads(db).list(source, 'canary-results', {
      after: Math.max(-1, newest.leafIndex - q.limit),
      limit: q.limit,
    });
    for (const r of records.reverse()) {
      const parsed = parseCanaryRecord(r.body, r.id);
      results.push(
        parsed.kind === 'probe'
          ? {
              source,
              id: r.id,
              leafIndex: r.leafIndex,
              kind: 'probe',
              canary: parsed.canary,
              probe: parsed.probe,
              at: parsed.finishedAt,
              status: parsed.status,
              expected: parsed.expected,
              observed: parsed.observed,
            }
          : {
              source,
              id: r.id,
              leafIndex: r.leafIndex,
              kind: 'log-check',
              canary: parsed.probeRecord,
              probe: 'log check',
              at: parsed.checkedAt,
              status: parsed.status,
              expected: `${parsed.found.length + parsed.missing.length} event(s)`,
              observed: `${parsed.missing.length} missing`,
            },
      );
    }
  }
  return { results };
}

export function registerCanaryRoutes(app: FastifyInstance, services: ConsoleServices): void {
  consoleRoute(app, {
    method: 'GET',
    url: '/api/v1/canaries',
    access: 'viewer',
    handler: (request) => canariesView(services, request.query),
  });
  consoleRoute(app, {
    method: 'GET',
    url: '/canaries',
    access: 'viewer',
    page: true,
    handler: async (request, reply) =>
      sendPage(
        reply,
        canariesPage(
          services.tokenizer.tokenizeEvent(await canariesView(services, request.query)),
          pageUser(request),
        ),
      ),
  });
}
