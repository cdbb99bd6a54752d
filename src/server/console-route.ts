import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { roleAtLeast, type Role } from './auth/principal.js';
import { requireRole } from './auth/auth-plugin.js';
import { errorPage } from '../web/error-page.js';

/** Who may call a route: anyone (health, assets, sign-in) or a signed-in role and above. */
export type Access = 'public' | Role;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every console route declares its access; the route-table test reads it back (app.consoleRoutes). */
    access?: Access;
    /** The reveal route: its answer is the raw value on purpose and skips tokenisation. */
    reveals?: boolean;
    /** A page: its errors are answered as a page, not JSON. */
    page?: boolean;
  }
}

export interface ConsoleRouteOptions {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly access: Access;
  /** A page answers HTML (an unsigned-in browser is sent to sign in); an API route answers JSON. */
  readonly page?: boolean;
  readonly reveals?: boolean;
  readonly bodyLimit?: number;
  readonly handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/**
 * Registers one console route with its access enforced on the server before the handler runs
 * (issue 18: every route, tested route by route). API routes use the auth layer's `requireRole`
 * (JSON 401/403); pages answer the same statuses as a page with a way to sign in.
 */
export function consoleRoute(app: FastifyInstance, options: ConsoleRouteOptions): void {
  const { access } = options;
  const preHandler =
    access === 'public' ? undefined : options.page ? pageAccess(access) : requireRole(access);
  app.route({
    method: options.method,
    url: options.url,
    config: {
      access,
      ...(options.reveals ? { reveals: true } : {}),
      ...(options.page ? { page: true } : {}),
    },
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    ...(preHandler ? { preHandler } : {}),
    handler: options.handler as RouteHandlerMethod,
  });
}

function pageAccess(need: Role) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const principal = request.principal;
    if (!principal) {
      const next = encodeURIComponent(request.url);
      await reply
        .code(401)
        .type('text/html; charset=utf-8')
        .send(
          errorPage({
            title: 'Sign in',
            message: 'Sign in to see this page.',
            link: { href: `/sign-in?next=${next}`, text: 'Sign in' },
            refreshTo: `/sign-in?next=${next}`,
          }),
        );
      return reply;
    }
    if (!roleAtLeast(principal.role, need)) {
      await reply
        .code(403)
        .type('text/html; charset=utf-8')
        .send(
          errorPage({
            title: 'Not allowed',
            message: `This page needs the ${need} role; you are signed in as a ${principal.role}.`,
            link: { href: '/', text: 'Overview' },
          }),
        );
      return reply;
    }
  };
}
