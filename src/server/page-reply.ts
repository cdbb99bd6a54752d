import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageUser } from '../web/layout.js';

/** The signed-in user as a page shows them, with the session's CSRF token for the console script. */
export function pageUser(request: FastifyRequest): PageUser {
  const principal = request.principal;
  if (!principal) throw new TypeError('a page was rendered without its access check');
  const csrfToken = request.csrfToken;
  return {
    name: principal.name,
    role: principal.role,
    ...(csrfToken ? { csrfToken } : {}),
  };
}

export function sendPage(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('text/html; charset=utf-8').send(text);
}
