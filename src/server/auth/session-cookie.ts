import type { FastifyReply } from 'fastify';
import { SESSION_COOKIE } from './sessions.js';

/**
 * The session cookie's attributes (OWASP session management): HttpOnly (no script reads it),
 * SameSite=Strict (no other site's page sends it), Secure under TLS, the whole console as its path,
 * and a lifetime no longer than the session's absolute deadline.
 */
export function setSessionCookie(
  reply: FastifyReply,
  value: string,
  secure: boolean,
  maxAgeMs: number,
): void {
  reply.setCookie(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    maxAge: Math.max(0, Math.floor(maxAgeMs / 1000)),
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}
