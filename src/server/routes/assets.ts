import type { FastifyInstance } from 'fastify';
import { CONSOLE_SCRIPT } from '../../web/console-script.js';
import { CONSOLE_STYLE } from '../../web/console-style.js';
import { consoleRoute } from '../console-route.js';

/** The console's stylesheet and script, served by the console itself (no CDN). */
export function registerAssetRoutes(app: FastifyInstance): void {
  consoleRoute(app, {
    method: 'GET',
    url: '/assets/console.css',
    access: 'public',
    handler: async (_request, reply) => reply.type('text/css; charset=utf-8').send(CONSOLE_STYLE),
  });
  consoleRoute(app, {
    method: 'GET',
    url: '/assets/console.js',
    access: 'public',
    handler: async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(CONSOLE_SCRIPT),
  });
}
