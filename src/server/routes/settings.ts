import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { roleAtLeast } from '../auth/principal.js';
import { SEVERITIES } from '../../detect/severity.js';
import { VigilError } from '../../core/vigil-error.js';
import { loadConfig, saveConfig } from '../../config/vigil-config.js';
import { testAlertSinks } from '../../runtime/alert-delivery.js';
import { settingsPage, type SettingsView } from '../../web/settings-page.js';
import { consoleRoute } from '../console-route.js';
import type { ConsoleServices } from '../console-services.js';
import { pageUser, sendPage } from '../page-reply.js';
import { requestInput } from '../request-input.js';

const sinkParams = z.object({ name: z.string().min(1).max(200) });
const sinkChange = z.object({ minSeverity: z.enum(SEVERITIES) }).strict();

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
  const config = currentConfig(services);
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

/**
 * vigil.yaml as it is on disk now (what an admin changes), or the runtime's own configuration when
 * it was given one (the demo's) rather than read from the data directory.
 */
function currentConfig(services: ConsoleServices) {
  const { runtime } = services;
  return runtime.options.config ?? loadConfig(runtime.dataDir);
}

/**
 * An admin changes a sink's `minSeverity` in vigil.yaml (validated whole, written 0600, audited
 * `settings.change`). Collection running in this process keeps its routes until it restarts: the
 * answer says so. Sinks are added, and secrets referenced, in vigil.yaml itself.
 */
async function changeSink(services: ConsoleServices, actor: string, name: string, minSeverity: string) {
  const { runtime } = services;
  if (runtime.options.config)
    throw new VigilError(
      'CONSOLE_BAD_REQUEST',
      'this console runs on a configuration given in memory, not vigil.yaml',
      {
        category: 'input',
      },
    );
  const config = loadConfig(runtime.dataDir);
  const index = config.alerts.sinks.findIndex((sink) => (sink.name ?? sink.type) === name);
  if (index === -1)
    throw new VigilError('CONSOLE_NOT_FOUND', `no alert sink is called ${name}`, {
      category: 'input',
      details: { sink: name },
    });
  const sink = config.alerts.sinks[index]!;
  const from = sink.minSeverity;
  const sinks = config.alerts.sinks.map((s, i) => (i === index ? { ...s, minSeverity } : s));
  saveConfig(runtime.dataDir, { ...config, alerts: { ...config.alerts, sinks } } as typeof config);
  await services.audit.record({
    actor,
    action: 'settings.change',
    target: `alerts.sinks.${index}`,
    details: { sink: name, field: 'minSeverity', from, to: minSeverity },
  });
  return {
    sink: name,
    minSeverity,
    from,
    appliesTo: 'collection started from now on (restart a running collector)',
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
    method: 'POST',
    url: '/api/v1/settings/sinks/:name',
    access: 'admin',
    handler: async (request) => {
      const { name } = requestInput(sinkParams, request.params, 'path');
      const body = requestInput(sinkChange, request.body, 'body');
      return changeSink(services, request.principal!.name, name, body.minSeverity);
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
