import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { roleAtLeast } from '../auth/principal.js';
import { testAlertSinks } from '../../runtime/alert-delivery.js';
import { settingsPage, type SettingsView } from '../../web/settings-page.js';
import { consoleRoute } from '../console-route.js';
import type { ConsoleServices } from '../console-services.js';
import { pageUser, sendPage } from '../page-reply.js';
import { requestInput } from '../request-input.js';

const sinkParams = z.object({ name: z.string().min(1).max(200) });

/** Where a sink sends, for admins: a host, never a URL's path or query (a Slack webhook URL is a secret). */
function destination(sink: SettingsSink): string | null {
  switch (sink.type) {
    case 'webhook':
      return safeHost(sink.url);
    case 'syslog':
    case 'email':
      return typeof sink.host === 'string' ? sink.host : null;
    default:
      return null;
  }
}
type SettingsSink = { type: string; name?: string; minSeverity: string; url?: string; host?: string };

function safeHost(url: string | undefined): string | null {
  try {
    return url === undefined ? null : new URL(url).host;
  } catch {
    return null;
  }
}

/**
 * The configuration the console shows (read only: vigil.yaml stays the one place it is changed). No
 * secret and no secret's reference; destinations only to admins.
 */
export function settingsView(services: ConsoleServices, admin: boolean): SettingsView {
  const { config } = services.runtime;
  return {
    admin,
    sources: config.sources.map((s) => ({
      name: s.name,
      type: s.type,
      url: admin ? s.url : null,
      token: s.tokenEnv !== undefined ? 'environment variable' : 'file',
    })),
    collect: {
      pollIntervalSeconds: config.collect.pollIntervalSeconds,
      rateShare: config.collect.rateShare,
    },
    sinks: config.alerts.sinks.map((sink) => {
      const s = sink as SettingsSink;
      return {
        name: s.name ?? s.type,
        type: s.type,
        minSeverity: s.minSeverity,
        destination: admin ? destination(s) : null,
      };
    }),
  };
}

export function registerSettingsRoutes(app: FastifyInstance, services: ConsoleServices): void {
  const isAdmin = (role: Parameters<typeof roleAtLeast>[0]) => roleAtLeast(role, 'admin');
  consoleRoute(app, {
    method: 'GET',
    url: '/api/v1/settings',
    access: 'viewer',
    handler: async (request) => settingsView(services, isAdmin(request.principal!.role)),
  });
  consoleRoute(app, {
    method: 'POST',
    url: '/api/v1/settings/sinks/:name/test',
    access: 'admin',
    handler: async (request) => {
      const { name } = requestInput(sinkParams, request.params, 'path');
      const { runtime, clock } = services;
      const results = await testAlertSinks(
        { env: runtime.options.env, dataDir: runtime.dataDir, clock },
        name,
      );
      await services.audit.record({
        actor: request.principal!.name,
        action: 'settings.sink-test',
        target: name,
        details: { ok: results.every((r) => r.ok) },
      });
      return { results };
    },
  });
  consoleRoute(app, {
    method: 'GET',
    url: '/settings',
    access: 'viewer',
    page: true,
    handler: async (request, reply) =>
      sendPage(
        reply,
        settingsPage(settingsView(services, isAdmin(request.principal!.role)), pageUser(request)),
      ),
  });
}
