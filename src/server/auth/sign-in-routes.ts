import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isVigilError } from '../../core/vigil-error.js';
import { isUserName, type ConsoleUser } from './account-store.js';
import { AUTH_SCRIPT } from './auth-script.js';
import { AUTH_SCRIPT_PATH, AUTH_STYLE, AUTH_STYLE_PATH, signInPage } from './auth-pages.js';
import { clientAddress, localPath, sendJson, sendPage, startSession } from './auth-replies.js';
import type { ConsoleAuth } from './console-auth.js';
import type { ServerAuthErrorCode } from './errors.js';
import type { SignInMethod } from './sessions.js';
import { clearSessionCookie } from './session-cookie.js';

const PUBLIC = { access: 'public' } as const;

const CodeForm = z.object({
  name: z.string().max(200),
  code: z.string().max(64),
  next: z.string().max(600).optional(),
});

const PasskeyAnswer = z.object({
  response: z
    .object({
      id: z.string().min(1).max(1400),
      rawId: z.string().max(1400),
      type: z.literal('public-key'),
      response: z
        .object({
          clientDataJSON: z.string().max(10_000),
          authenticatorData: z.string().max(10_000),
          signature: z.string().max(10_000),
          userHandle: z.string().max(1_000).optional(),
        })
        .passthrough(),
      clientExtensionResults: z.record(z.unknown()).default({}),
      authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
    })
    .passthrough(),
  next: z.string().max(600).optional(),
});

/** Why an attempt failed, for the refusal and the audit record (the person sees no difference). */
type Failure = { status: 401 | 429; code: ServerAuthErrorCode; message: string };

const FAILED: Failure = {
  status: 401,
  code: 'SIGN_IN_FAILED',
  message: 'Sign-in failed: the name or the code is not right.',
};
const RATE_LIMITED: Failure = {
  status: 429,
  code: 'SIGN_IN_RATE_LIMITED',
  message: 'Too many sign-in attempts from this address; wait a minute.',
};

/**
 * One sign-in attempt with a guessable secret (a TOTP or recovery code) for the account `name`:
 * address rate, lockout, the check, the record of the attempt, the audit record; a session when it
 * succeeds.
 */
async function attempt(
  auth: ConsoleAuth,
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  method: SignInMethod,
  check: (user: ConsoleUser) => Promise<boolean>,
): Promise<Failure | undefined> {
  if (!auth.guard.allowAddress(clientAddress(request))) return RATE_LIMITED;
  const wellFormed = isUserName(name);
  // A malformed name may be anything a person typed (an email, a password): never recorded.
  const actor = wellFormed ? name : 'unknown';
  if (!wellFormed) {
    await auth.audit({
      actor,
      action: 'console.sign-in-failed',
      details: { method, reason: 'malformed-name' },
    });
    return FAILED;
  }
  const lockedUntil = await auth.guard.lockedUntil(name);
  if (lockedUntil !== undefined) {
    await auth.audit({
      actor,
      action: 'console.sign-in-failed',
      target: name,
      details: { method, reason: 'locked' },
    });
    return {
      status: 429,
      code: 'ACCOUNT_LOCKED',
      message: `Too many failed sign-ins for ${name}; try again after ${new Date(lockedUntil).toISOString()}.`,
    };
  }
  const user = await auth.accounts.byName(name);
  const reason = !user
    ? 'unknown-user'
    : user.disabled
      ? 'disabled'
      : (await check(user))
        ? undefined
        : 'wrong-credential';
  const { locked } = await auth.guard.record(name, reason === undefined);
  if (reason !== undefined || !user) {
    await auth.audit({ actor, action: 'console.sign-in-failed', target: name, details: { method, reason } });
    if (locked)
      await auth.audit({
        actor: 'vigil',
        action: 'console.lockout',
        target: name,
        details: { failures: auth.guard.policy.maxFailures, lockMs: auth.guard.policy.lockMs },
      });
    return FAILED;
  }
  await startSession(auth, request, reply, user, method);
  return undefined;
}

/** `/sign-in` and its methods, `/sign-out`, `/auth/session`, and the pages' script and style. */
export function registerSignInRoutes(app: FastifyInstance, auth: ConsoleAuth): void {
  app.get(AUTH_SCRIPT_PATH, { config: PUBLIC }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(AUTH_SCRIPT),
  );
  app.get(AUTH_STYLE_PATH, { config: PUBLIC }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').send(AUTH_STYLE),
  );

  app.get<{ Querystring: { next?: string } }>('/sign-in', { config: PUBLIC }, async (request, reply) => {
    const next = localPath(request.query.next);
    if (request.principal?.via === 'session') return reply.redirect(next, 303);
    return sendPage(reply, 200, signInPage({ next }));
  });

  const codeRoute = (
    url: string,
    method: SignInMethod,
    check: (auth: ConsoleAuth, user: ConsoleUser, code: string) => Promise<boolean>,
  ) =>
    app.post(url, { config: PUBLIC }, async (request, reply) => {
      const form = CodeForm.safeParse(request.body);
      const next = localPath(form.success ? form.data.next : undefined);
      const page = (error: string) =>
        signInPage({ next, error, ...(request.csrfToken ? { csrfToken: request.csrfToken } : {}) });
      if (!form.success) return sendPage(reply, 400, page('Type your name and a code.'));
      const { name, code } = form.data;
      const failure = await attempt(auth, request, reply, name.trim(), method, (user) =>
        check(auth, user, code.trim()),
      );
      if (failure) return sendPage(reply, failure.status, page(failure.message));
      return reply.redirect(next, 303);
    });
  codeRoute('/sign-in/totp', 'totp', (a, user, code) => a.totp.check(user.id, code));
  codeRoute('/sign-in/recovery', 'recovery', (a, user, code) => a.recovery.consume(user.id, code));

  app.post('/sign-in/passkey/options', { config: PUBLIC }, async (request, reply) => {
    if (!auth.guard.allowAddress(clientAddress(request)))
      return sendJson(reply, 429, { error: { code: RATE_LIMITED.code, message: RATE_LIMITED.message } });
    return sendJson(reply, 200, await auth.passkeys.authenticationOptions());
  });

  app.post('/sign-in/passkey', { config: PUBLIC }, async (request, reply) => {
    const body = PasskeyAnswer.safeParse(request.body);
    if (!body.success)
      return sendJson(reply, 400, {
        error: { code: 'AUTH_REQUEST_INVALID', message: 'the body is not a WebAuthn assertion' },
      });
    if (!auth.guard.allowAddress(clientAddress(request)))
      return sendJson(reply, 429, { error: { code: RATE_LIMITED.code, message: RATE_LIMITED.message } });
    let userId: string;
    try {
      ({ userId } = await auth.passkeys.authenticate(body.data.response as never));
    } catch (error) {
      if (!isVigilError(error) || error.code !== 'PASSKEY_REFUSED') throw error;
      await auth.audit({
        actor: 'unknown',
        action: 'console.sign-in-failed',
        details: { method: 'passkey', reason: error.message },
      });
      return sendJson(reply, 401, { error: { code: 'SIGN_IN_FAILED', message: 'Passkey sign-in failed.' } });
    }
    // The signature checked out; what is left is the account's own state. A passkey cannot be
    // guessed, so the lockout (against guessing codes) does not apply: someone who locks a name by
    // typing wrong codes cannot keep its owner out.
    const user = await auth.accounts.byId(userId);
    if (!user || user.disabled) {
      await auth.audit({
        actor: user?.name ?? 'unknown',
        action: 'console.sign-in-failed',
        ...(user ? { target: user.name } : {}),
        details: { method: 'passkey', reason: 'disabled' },
      });
      return sendJson(reply, 401, { error: { code: FAILED.code, message: 'Passkey sign-in failed.' } });
    }
    await startSession(auth, request, reply, user, 'passkey');
    return sendJson(reply, 200, { next: localPath(body.data.next) });
  });

  app.post('/sign-out', { config: PUBLIC }, async (request, reply) => {
    const principal = request.principal;
    if (principal?.via === 'session' && principal.sessionId) {
      await auth.sessions.end(principal.sessionId);
      await auth.audit({ actor: principal.name, action: 'console.sign-out', target: principal.name });
    }
    clearSessionCookie(reply, auth.deps.secure);
    return reply.redirect('/sign-in', 303);
  });

  app.get('/auth/session', { config: PUBLIC }, async (request, reply) => {
    const principal = request.principal;
    if (!principal)
      return sendJson(reply, 401, { error: { code: 'AUTH_REQUIRED', message: 'not signed in' } });
    return sendJson(reply, 200, {
      name: principal.name,
      role: principal.role,
      via: principal.via,
      ...(request.csrfToken ? { csrfToken: request.csrfToken } : {}),
    });
  });
}
