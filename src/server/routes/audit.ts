import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditPage, type AuditView } from '../../web/audit-page.js';
import { consoleRoute } from '../console-route.js';
import type { ConsoleServices } from '../console-services.js';
import { pageUser, sendPage } from '../page-reply.js';
import { isoMs, requestInput } from '../request-input.js';

const auditQuery = z.object({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  action: z.string().max(100).optional(),
  actor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** The audit log, newest first (admins): sign-ins, reveals, transitions, exports, user changes. */
export async function auditView(services: ConsoleServices, query: unknown): Promise<AuditView> {
  const q = requestInput(auditQuery, query, 'query');
  isoMs(q.from, 'from');
  isoMs(q.to, 'to');
  const records = await services.audit.list({
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
    ...(q.action ? { action: q.action } : {}),
    ...(q.actor ? { actor: q.actor } : {}),
    limit: q.limit,
  });
  return { filter: q, records };
}

export function registerAuditRoutes(app: FastifyInstance, services: ConsoleServices): void {
  consoleRoute(app, {
    method: 'GET',
    url: '/api/v1/audit',
    access: 'admin',
    handler: (request) => auditView(services, request.query),
  });
  consoleRoute(app, {
    method: 'GET',
    url: '/audit',
    access: 'admin',
    page: true,
    handler: async (request, reply) =>
      sendPage(
        reply,
        auditPage(
          services.tokenizer.tokenizeEvent(await auditView(services, request.query)),
          pageUser(request),
        ),
      ),
  });
}
