import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleUser } from './account-store.js';
import type { ConsoleAuth } from './console-auth.js';
import type { SignInMethod } from './sessions.js';
import { setSessionCookie } from './session-cookie.js';

/** JSON sent as text: the console's tokenising serializer must not rewrite a challenge or a code. */
export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .header('cache-control', 'no-store')
    .code(status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(body));
}

/** A page; never cached (an enrolment page holds a TOTP secret, another page recovery codes). */
export function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.header('cache-control', 'no-store').code(status).type('text/html; charset=utf-8').send(html);
}

/** Where to go after signing in: a path on this console only (never `//host` or a URL: no open redirect). */
export function localPath(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]{0,500}$/.test(next) ? next : '/';
}

/** The requesting client's address, for per-address limits only (never stored or logged). */
export const clientAddress = (request: FastifyRequest): string => request.ip;

/**
 * Opens a session for `user` (ending the request's current one, if any), sets the cookie and
 * records the sign-in in the audit log.
 */
export async function startSession(
  auth: ConsoleAuth,
  request: FastifyRequest,
  reply: FastifyReply,
  user: ConsoleUser,
  method: SignInMethod,
): Promise<void> {
  if (request.principal?.via === 'session' && request.principal.sessionId)
    await auth.sessions.end(request.principal.sessionId);
  const { cookie, session } = await auth.sessions.create(user.id, method);
  await auth.audit({
    actor: user.name,
    action: 'console.sign-in',
    target: user.name,
    details: { method, session: session.id.slice(0, 16) },
  });
  setSessionCookie(reply, cookie, auth.deps.secure, session.absoluteExpiresMs - auth.deps.clock.now());
}
