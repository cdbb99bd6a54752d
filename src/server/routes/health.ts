import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { consoleRoute } from '../console-route.js';
import type { ConsoleServices } from '../console-services.js';
import { eventLogs } from './overview.js';

/**
 * `/healthz` (the process answers), `/readyz` (the store answers and collection is not stalled) and
 * `/metrics` (Prometheus text; a scraper signs in with an API token like any script).
 */
export function registerHealthRoutes(app: FastifyInstance, services: ConsoleServices): void {
  consoleRoute(app, {
    method: 'GET',
    url: '/healthz',
    access: 'public',
    handler: async () => ({ status: 'ok' }),
  });
  consoleRoute(app, {
    method: 'GET',
    url: '/readyz',
    access: 'public',
    handler: async (_request, reply) => {
      const { runtime, health, clock } = services;
      let storeOk = true;
      try {
        await sql`select 1`.execute(runtime.store.db);
      } catch {
        storeOk = false;
      }
      const sources = storeOk ? await eventLogs(services) : [];
      const stalled = health.stalled(sources, clock.now());
      const ready = storeOk && stalled.length === 0 && health.failure === undefined;
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not-ready',
        store: storeOk ? 'ok' : 'unreachable',
        collecting: health.collecting,
        ...(health.failure === undefined ? {} : { collectionFailed: health.failure }),
        stalled: stalled.map((s) => ({ source: s.source, lastRound: new Date(s.sinceMs).toISOString() })),
      });
    },
  });
  consoleRoute(app, {
    method: 'GET',
    url: '/metrics',
    access: 'viewer',
    handler: async (_request, reply) => {
      const { contentType, body } = await services.metrics.exposition();
      return reply.type(contentType).send(body);
    },
  });
}
