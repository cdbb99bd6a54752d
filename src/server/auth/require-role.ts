import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ServerAuthErrorCode } from './errors.js';
import { roleAtLeast, type Role } from './principal.js';

/** `{error:{code,message}}` with a status: the auth layer's JSON refusals. */
export function refuse(
  reply: FastifyReply,
  status: number,
  code: ServerAuthErrorCode,
  message: string,
): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error: { code, message } }));
}

/**
 * A preHandler that lets a request through only with a principal of `role` or above: 401
 * `AUTH_REQUIRED` without one, 403 `ROLE_REFUSED` with too small a role (JSON `{error:{code,message}}`).
 */
export function requireRole(role: Role): preHandlerAsyncHookHandler {
  return async function requireRoleHandler(request: FastifyRequest, reply: FastifyReply) {
    const principal = request.principal;
    if (!principal)
      return refuse(reply, 401, 'AUTH_REQUIRED', 'sign in, or send an API token as Authorization: Bearer');
    if (!roleAtLeast(principal.role, role))
      return refuse(
        reply,
        403,
        'ROLE_REFUSED',
        `this needs the ${role} role; the request acts as ${principal.role}`,
      );
  };
}
