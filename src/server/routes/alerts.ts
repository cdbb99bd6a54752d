import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Alert, AlertStatus } from '../../alerts/alert.js';
import { alertDetail } from '../../alerts/alert-detail.js';
import { groupAlerts } from '../../alerts/alert-grouping.js';
import { eventsById } from '../../custody/events-by-id.js';
import { severityRank, SEVERITIES } from '../../detect/severity.js';
import { VigilError } from '../../core/vigil-error.js';
import { alertPage, alertsPage, type AlertsView, type AlertDetailView } from '../../web/alerts-page.js';
import { consoleRoute } from '../console-route.js';
import type { ConsoleServices } from '../console-services.js';
import { consoleAlert, consoleEventSummary, entityPii, type ConsoleAlert } from '../console-alert.js';
import { pageUser, sendPage } from '../page-reply.js';
import { requestInput } from '../request-input.js';

const listQuery = z.object({
  status: z.enum(['open', 'acknowledged', 'resolved']).optional(),
  severity: z.enum(SEVERITIES).optional(),
  source: z.string().max(200).optional(),
  rule: z.string().max(200).optional(),
  assignee: z.string().max(64).optional(),
  sort: z.enum(['last-seen', 'first-seen', 'severity', 'count']).default('last-seen'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const ACTIONS = ['acknowledge', 'resolve', 'false-positive'] as const;
type TriageAction = (typeof ACTIONS)[number];
const TARGET: Readonly<Record<TriageAction, AlertStatus>> = {
  acknowledge: 'acknowledged',
  resolve: 'resolved',
  'false-positive': 'resolved',
};

const note = z.string().max(2000).optional();
const assigneeName = z
  .string()
  .regex(/^([A-Za-z0-9._-]{1,64})?$/, 'a console user name (letters, digits, . _ -), or empty to unassign');
const transitionBody = z.object({ action: z.enum(ACTIONS), note });
const assignBody = z.object({ assignee: assigneeName });
const bulkBody = z.object({
  ids: z.array(z.string().min(1).max(200)).min(1).max(500),
  action: z.enum([...ACTIONS, 'assign']),
  note,
  assignee: assigneeName.optional(),
});
const idParams = z.object({ id: z.string().min(1).max(200) });

/** Each alert's current assignee, from the audit log's `alert.assign` records (newest wins). */
async function assignees(services: ConsoleServices): Promise<Map<string, string | null>> {
  const records = await services.audit.list({ action: 'alert.assign', limit: 10_000 });
  const byAlert = new Map<string, string | null>();
  for (const r of records)
    if (r.target !== undefined && !byAlert.has(r.target)) {
      const who = r.details?.['assignee'];
      byAlert.set(r.target, typeof who === 'string' && who !== '' ? who : null);
    }
  return byAlert;
}

const SORTS: Readonly<Record<z.infer<typeof listQuery>['sort'], (a: Alert, b: Alert) => number>> = {
  'last-seen': (a, b) => b.lastSeenMs - a.lastSeenMs,
  'first-seen': (a, b) => b.firstSeenMs - a.firstSeenMs,
  severity: (a, b) => severityRank(b.severity) - severityRank(a.severity) || b.lastSeenMs - a.lastSeenMs,
  count: (a, b) => b.count - a.count || b.lastSeenMs - a.lastSeenMs,
};

export async function listAlerts(services: ConsoleServices, query: unknown): Promise<AlertsView> {
  const q = requestInput(listQuery, query, 'query');
  // The store sorts by last seen and limits; other sorts and filters it does not know read more.
  const narrowHere = Boolean(q.source || q.rule || q.assignee) || q.sort !== 'last-seen';
  const stored = await services.alerts.list({
    ...(q.status ? { status: q.status } : {}),
    ...(q.severity ? { minSeverity: q.severity } : {}),
    limit: narrowHere ? 1000 : q.limit,
  });
  const assigned = await assignees(services);
  const chosen = stored
    .filter((a) => q.source === undefined || q.source === '' || a.source === q.source)
    .filter((a) => q.rule === undefined || q.rule === '' || a.reasons.some((r) => r.ruleId === q.rule))
    .filter((a) => q.assignee === undefined || q.assignee === '' || assigned.get(a.id) === q.assignee)
    .sort(SORTS[q.sort])
    .slice(0, q.limit);
  const alerts = chosen.map((a) => consoleAlert(a, services.tokenizer, assigned.get(a.id) ?? null));
  return { filter: { ...q, limit: q.limit }, alerts, stories: stories(services, chosen) };
}

/**
 * The listed alerts told as stories (alerts/alert-grouping.ts, shared with the incident reports):
 * alerts about one entity within an hour of each other, most recent first. Not yet by their events'
 * sessions and support cases (alert-story-keys.ts): that looks events up by provider id alone, which
 * no index serves, and read a million-event store for every listing. A story's title may name its
 * entity: that name is tokenised as the entity is.
 */
function stories(services: ConsoleServices, alerts: readonly Alert[]): AlertsView['stories'] {
  return groupAlerts(alerts).map((story) => {
    let title = story.title;
    for (const a of story.alerts)
      for (const { kind, raw } of entityPii(a.entity))
        title = title.split(raw).join(services.tokenizer.token(kind, raw));
    return {
      id: story.id,
      title,
      severity: story.severity,
      alerts: story.alerts.map((a) => a.id),
      firstSeen: new Date(story.firstSeenMs).toISOString(),
      lastSeen: new Date(story.lastSeenMs).toISOString(),
      open: story.alerts.filter((a) => a.status === 'open').length,
      sharedKeys: [...story.sharedKeys],
    };
  });
}

export async function alertDetailView(services: ConsoleServices, id: string): Promise<AlertDetailView> {
  const { runtime, tokenizer } = services;
  const detail = await alertDetail(services.alerts, runtime.store.db, id);
  const assigned = await assignees(services);
  const raw = await eventsById(runtime.store.db, detail.alert.eventIds, detail.alert.source);
  return {
    alert: consoleAlert(detail.alert, tokenizer, assigned.get(id) ?? null),
    events: raw.map((e) => consoleEventSummary(e.eventId, e.raw, tokenizer)),
    missing: detail.missing,
  };
}

/** Acknowledge, resolve or mark false positive (a resolution whose note says so), audited. */
async function triage(
  services: ConsoleServices,
  request: FastifyRequest,
  id: string,
  action: TriageAction,
  text: string | undefined,
): Promise<ConsoleAlert> {
  const actor = request.principal!.name;
  const before = await services.alerts.get(id);
  const noteText =
    action === 'false-positive' ? `false positive${text ? `: ${text}` : ''}` : text === '' ? undefined : text;
  const after = await services.alerts.transition(id, TARGET[action], actor, noteText);
  await services.audit.record({
    actor,
    action: 'alert.transition',
    target: id,
    ...(text ? { reason: services.tokenizer.tokenizeText(text) } : {}),
    details: { from: before?.status ?? null, to: after.status, verdict: action },
  });
  const assigned = await assignees(services);
  return consoleAlert(after, services.tokenizer, assigned.get(id) ?? null);
}

async function assign(services: ConsoleServices, request: FastifyRequest, id: string, assignee: string) {
  const alert = await services.alerts.get(id);
  if (!alert)
    throw new VigilError('ALERT_NOT_FOUND', `no alert with id ${id}`, { category: 'input', details: { id } });
  await services.audit.record({
    actor: request.principal!.name,
    action: 'alert.assign',
    target: id,
    details: { assignee },
  });
  return consoleAlert(alert, services.tokenizer, assignee === '' ? null : assignee);
}

export function registerAlertRoutes(app: FastifyInstance, services: ConsoleServices): void {
  consoleRoute(app, {
    method: 'GET',
    url: '/api/v1/alerts',
    access: 'viewer',
    handler: (request) => listAlerts(services, request.query),
  });
  consoleRoute(app, {
    method: 'GET',
    url: '/api/v1/alerts/:id',
    access: 'viewer',
    handler: (request) => alertDetailView(services, requestInput(idParams, request.params, 'path').id),
  });
  consoleRoute(app, {
    method: 'POST',
    url: '/api/v1/alerts/:id/transition',
    access: 'analyst',
    handler: async (request) => {
      const { id } = requestInput(idParams, request.params, 'path');
      const body = requestInput(transitionBody, request.body, 'body');
      return { alert: await triage(services, request, id, body.action, body.note) };
    },
  });
  consoleRoute(app, {
    method: 'POST',
    url: '/api/v1/alerts/:id/assign',
    access: 'analyst',
    handler: async (request) => {
      const { id } = requestInput(idParams, request.params, 'path');
      const body = requestInput(assignBody, request.body, 'body');
      return { alert: await assign(services, request, id, body.assignee) };
    },
  });
  consoleRoute(app, {
    method: 'POST',
    url: '/api/v1/alerts/bulk',
    access: 'analyst',
    handler: async (request) => {
      const body = requestInput(bulkBody, request.body, 'body');
      const results: {
        id: string;
        ok: boolean;
        status?: string;
        error?: { code: string; message: string };
      }[] = [];
      // One by one, each audited on its own: one alert that cannot move does not stop the others.
      for (const id of [...new Set(body.ids)]) {
        try {
          const alert =
            body.action === 'assign'
              ? await assign(services, request, id, body.assignee ?? '')
              : await triage(services, request, id, body.action, body.note);
          results.push({ id, ok: true, status: alert.status });
        } catch (error) {
          if (!(error instanceof VigilError) || error.category !== 'input') throw error;
          results.push({ id, ok: false, error: { code: error.code, message: error.message } });
        }
      }
      return { results };
    },
  });
  consoleRoute(app, {
    method: 'GET',
    url: '/alerts',
    access: 'viewer',
    page: true,
    handler: async (request, reply) =>
      sendPage(
        reply,
        alertsPage(
          services.tokenizer.tokenizeEvent(await listAlerts(services, request.query)),
          pageUser(request),
        ),
      ),
  });
  consoleRoute(app, {
    method: 'GET',
    url: '/alerts/:id',
    access: 'viewer',
    page: true,
    handler: async (request, reply) => {
      const { id } = requestInput(idParams, request.params, 'path');
      const view = services.tokenizer.tokenizeEvent(await alertDetailView(services, id));
      return sendPage(reply, alertPage(view, pageUser(request)));
    },
  });
}
