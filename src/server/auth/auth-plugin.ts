import { fastifyCookie } from '@fastify/cookie';
import { fastifyFormbody } from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { AuthDeps } from './auth-deps.js';
import { ConsoleAuth } from './console-auth.js';
import { changesState, csrfProblem } from './csrf.js';
import { registerEnrolRoutes } from './enrol-routes.js';
import type { Principal } from './principal.js';
import { refuse } from './require-role.js';
import { registerUserRoutes } from './user-routes.js';
import { SESSION_COOKIE } from './sessions.js';
import { clearSessionCookie } from './session-cookie.js';
import { registerSignInRoutes } from './sign-in-routes.js';

export type { AuthDeps } from './auth-deps.js';
export { consoleSealKey } from './auth-deps.js';
export { refuse, requireRole } from './require-role.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts as (session cookie or API token); null when nobody is signed in. */
    principal: Principal | null;
    /**
     * The session's CSRF token, null without a session. Pages put it in
     * `<meta name="csrf-token" content="…">` (scripts send it as `x-csrf-token`) and in a hidden
     * `_csrf` field of every form that posts.
     */
    csrfToken: string | null;
  }
}

/**
 * The console's sign-in layer on `app` (call it before registering any other route, so its hooks
 * cover them all):
 * - registers @fastify/cookie (and @fastify/formbody unless a form parser is there already);
 * - sets `request.principal` and `request.csrfToken` on every request, from `Authorization: Bearer
 *   vigil_at_…` (an API token: that header alone counts when present) or the `vigil_session` cookie;
 * - refuses (403 `CSRF_REFUSED`) a POST/PUT/PATCH/DELETE from another origin, or with a session
 *   cookie but without the session's token in `x-csrf-token` or the `_csrf` form field;
 * - adds `/sign-in` (+ `/sign-in/totp`, `/sign-in/recovery`, `/sign-in/passkey[/options]`),
 *   `/sign-out`, `/enrol/:token` (+ `/totp`, `/passkey[/options]`), `GET /auth/session`,
 *   `/assets/auth.js` and `/assets/auth.css`; and, for admins, `/api/v1/users` (list, add,
 *   `:name/disable`, `:name/enable`, `:name/reset`, `:name/tokens`) and `/api/v1/tokens` (list,
 *   `:id/revoke`). Their JSON answers are sent as text (no tokenising serializer touches a WebAuthn
 *   challenge).
 */
export async function registerAuth(app: FastifyInstance, deps: AuthDeps): Promise<void> {
  const auth = new ConsoleAuth(deps);
  if (!app.hasDecorator('parseCookie')) await app.register(fastifyCookie);
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(fastifyFormbody);
  app.decorateRequest('principal', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRequest', async (request, reply) => {
    request.principal = null;
    request.csrfToken = null;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const bearer = /^Bearer ([\x21-\x7e]{1,200})$/.exec(authorization);
      request.principal = (bearer?.[1] && (await auth.tokens.resolve(bearer[1]))) || null;
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie === undefined) return;
    const signedIn = await auth.sessionPrincipal(cookie);
    if (!signedIn) {
      clearSessionCookie(reply, deps.secure);
      return;
    }
    request.principal = signedIn.principal;
    request.csrfToken = signedIn.csrfToken;
  });

  // After the body is parsed (the token may be a form field), before validation and handlers.
  app.addHook('preValidation', async (request, reply) => {
    if (!changesState(request.method)) return;
    const session = request.principal?.via === 'session' ? (request.csrfToken ?? undefined) : undefined;
    const why = csrfProblem(request, auth.origin, session);
    if (why !== undefined) return refuse(reply, 403, 'CSRF_REFUSED', `refused: ${why}`);
  });

  registerSignInRoutes(app, auth);
  registerEnrolRoutes(app, auth);
  registerUserRoutes(app, auth);
}
