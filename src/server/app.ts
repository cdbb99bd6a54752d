import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { resolveKeyDirectory } from '../keys/key-directory.js';
import { loadPiiKey } from '../keys/pii-token-key.js';
import type { Runtime } from '../runtime/runtime.js';
import { consoleSealKey, registerAuth } from './auth/auth-plugin.js';
import { CachingTokenizer } from './caching-tokenizer.js';
import { CollectionHealth } from './collection-health.js';
import type { Access } from './console-route.js';
import type { ConsoleServices } from './console-services.js';
import { httpError } from './http-error.js';
import { ConsoleMetrics } from './metrics.js';
import { storeGauges } from './store-gauges.js';
import { securityHeaders } from './security-headers.js';
import { registerConsoleRoutes } from './routes/index.js';
import { errorPage } from '../web/error-page.js';

export interface ConsoleAppOptions {
  /** Opened for `write`: the console records audit entries and alert transitions. */
  readonly runtime: Runtime;
  /** The console's own URL (`https://127.0.0.1:8443`): passkeys are bound to it, CSRF checks it. */
  readonly origin: string;
  /** Served over TLS: Secure cookies and HSTS. */
  readonly secure: boolean;
  /** The console's JSON log (pino); default: none (tests). */
  readonly log?: Logger | false;
  /** Collection in this process (`--collect`), for `/readyz`; default: none. */
  readonly health?: CollectionHealth;
  /** Shared with collection in this process, so its counters appear at `/metrics`. */
  readonly metrics?: ConsoleMetrics;
  /** Serve HTTPS with this certificate and key (PEM). */
  readonly https?: { readonly cert: Buffer; readonly key: Buffer };
  /** More routes from later pillars (incidents), registered with the same access rules. */
  readonly extend?: (app: FastifyInstance, services: ConsoleServices) => void | Promise<void>;
}

/** A route as registered: its method, URL pattern and declared access (the route-table test reads it). */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: Access | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its declared access, in registration order. */
    consoleRoutes: RegisteredRoute[];
  }
}

/** Request bodies are small forms and JSON: notes, reasons, ids. */
const BODY_LIMIT = 64 * 1024;

/**
 * Builds the console (`vigil serve`) over a runtime: sign-in (auth/), `/api/v1`, the pages, health
 * and metrics. One place maps errors to statuses (http-error.ts); every answer carries the security
 * headers (security-headers.ts); every JSON answer passes through the PII tokenizer unless its route
 * is the reveal, so no route can show an email, a name or an IP by forgetting to.
 */
export async function buildConsoleApp(options: ConsoleAppOptions): Promise<FastifyInstance> {
  const { runtime } = options;
  const clock = runtime.options.clock;
  const metrics = options.metrics ?? new ConsoleMetrics(() => clock.now());
  const health = options.health ?? new CollectionHealth(false, Number.POSITIVE_INFINITY, clock.now());
  const services: ConsoleServices = {
    runtime,
    clock,
    tokenizer: new CachingTokenizer(piiKey(runtime)),
    audit: runtime.auditLog(),
    alerts: runtime.alertStore(),
    metrics,
    health,
  };
  metrics.readStoreWith(() => storeGauges(runtime.store.db));

  const app = Fastify({
    ...(options.https ? { https: { cert: options.https.cert, key: options.https.key } } : {}),
    // Request ids are ours (never a client's header): they name a request in the log and its answer.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT,
    ...(options.log ? { loggerInstance: options.log as FastifyBaseLogger } : { logger: false }),
    // Logs carry method, route and status, never the query string (it may hold a search for a login).
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  app.decorate('consoleRoutes', [] as RegisteredRoute[]);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      if (method !== 'HEAD') app.consoleRoutes.push({ method, url: route.url, access: route.config?.access });
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    securityHeaders(reply, options.secure);
  });
  // Personal data as tokens in every JSON answer but the reveal's (issue 18, "Personal data as tokens").
  app.addHook('preSerialization', async (request, _reply, payload: unknown) =>
    request.routeOptions.config.reveals ? payload : services.tokenizer.tokenizeEvent(payload),
  );
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.requestSeconds.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      seconds,
    );
    request.log.info(
      { reqId: request.id, method: request.method, route, status: reply.statusCode, ms: reply.elapsedTime },
      'request',
    );
  });

  app.setErrorHandler(async (error, request, reply) => {
    const { status, body } = httpError(error, request.id);
    if (status >= 500) request.log.error({ reqId: request.id, err: error }, 'request failed');
    // A message may quote what the request asked for (an event id, a login): tokenised like any answer.
    const message = services.tokenizer.tokenizeText(body.error.message);
    if (request.routeOptions.config.page)
      return reply
        .code(status)
        .type('text/html; charset=utf-8')
        .send(
          errorPage({
            title: status === 404 ? 'Not found' : status < 500 ? 'Cannot show this' : 'Something failed',
            message: `${message} [${body.error.code}] (request ${request.id})`,
            link: { href: '/', text: 'Overview' },
          }),
        );
    return reply.code(status).send({ error: { ...body.error, message } });
  });
  app.setNotFoundHandler(async (request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/') && acceptsHtml(request.headers.accept))
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .send(
          errorPage({
            title: 'Not found',
            message: 'There is no such page.',
            link: { href: '/', text: 'Overview' },
          }),
        );
    return reply.code(404).send({
      error: { code: 'CONSOLE_NOT_FOUND', message: 'no such route', requestId: request.id },
    });
  });

  await registerAuth(app, {
    store: runtime.store,
    clock,
    audit: services.audit,
    origin: options.origin,
    secure: options.secure,
    rpName: 'Vigil',
    sealKey: consoleSealKey(runtime),
  });
  await registerConsoleRoutes(app, services);
  await options.extend?.(app, services);
  return app;
}

/** The key of the runtime's own tokenizer (`pii-token.key`), so the console's tokens are the CLI's. */
function piiKey(runtime: Runtime): Buffer {
  const { dataDir, options, config } = runtime;
  const keys = resolveKeyDirectory({ dataDir, env: options.env, configured: config.keys.dir });
  return loadPiiKey(keys, { create: options.access === 'write' });
}

function acceptsHtml(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('text/html');
}

/** The console's JSON log: pino to stderr, no request headers (cookies, tokens) ever serialised. */
export function consoleLogger(destination: NodeJS.WritableStream): Logger {
  return pino(
    {
      base: { service: 'vigil-serve' },
      redact: { paths: ['req.headers', 'headers', '*.authorization', '*.cookie'], remove: true },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
