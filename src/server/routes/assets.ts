import type { FastifyInstance } from 'fastify';
import { CONSOLE_SCRIPT } from '../../web/console-script.js';
import { CONSOLE_STYLE } from '../../web/console-style.js';
import { consoleRoute } from '../console-route.js';

/** The console's mark: an eye, as SVG (no file to ship; every page and the browser's tab ask for it). */
const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M2 16c4-7 9-10 14-10s10 3 14 10c-4 7-9 10-14 10S6 23 2 16z" fill="#0b5cad"/><circle cx="16" cy="16" r="5" fill="#fff"/></svg>';

/** The console's stylesheet, script and icon, served by the console itself (no CDN). */
export function registerAssetRoutes(app: FastifyInstance): void {
  consoleRoute(app, {
    method: 'GET',
    url: '/favicon.ico',
    access: 'public',
    handler: async (_request, reply) => reply.type('image/svg+xml').send(ICON),
  });
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
