import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isVigilError } from '../../core/vigil-error.js';
import type { ConsoleUser } from './account-store.js';
import { enrolPage, messagePage, recoveryCodesPage } from './auth-pages.js';
import { clientAddress, sendJson, sendPage, startSession } from './auth-replies.js';
import type { ConsoleAuth } from './console-auth.js';
import type { PendingEnrolment } from './enrolment.js';

const PUBLIC = { access: 'public' } as const;

const CodeForm = z.object({ code: z.string().max(64) });

const RegistrationAnswer = z.object({
  response: z
    .object({
      id: z.string().min(1).max(1400),
      rawId: z.string().max(1400),
      type: z.literal('public-key'),
      response: z
        .object({
          clientDataJSON: z.string().max(10_000),
          attestationObject: z.string().max(100_000),
          transports: z.array(z.string().max(40)).max(10).optional(),
        })
        .passthrough(),
      clientExtensionResults: z.record(z.unknown()).default({}),
      authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
    })
    .passthrough(),
});

const GONE =
  'This enrolment link is unknown, used or expired. Ask an admin for a new one (vigil user reset NAME).';
const ISSUER = 'Vigil';

type Params = { Params: { token: string } };

/**
 * `/enrol/:token`: the one-time link `vigil user add` printed. The page offers a passkey (primary)
 * and an authenticator app (fallback); the first one confirmed uses the link up, issues recovery
 * codes (shown once) and signs the person in.
 */
export function registerEnrolRoutes(app: FastifyInstance, auth: ConsoleAuth): void {
  /** The link's enrolment and user, or undefined when it is gone or the user disabled. */
  const open = async (
    token: string,
  ): Promise<{ enrolment: PendingEnrolment; user: ConsoleUser } | undefined> => {
    const enrolment = await auth.enrolments.find(token);
    const user = enrolment && (await auth.accounts.byId(enrolment.userId));
    return enrolment && user && !user.disabled ? { enrolment, user } : undefined;
  };

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    found: { enrolment: PendingEnrolment; user: ConsoleUser },
    status: number,
    error?: string,
  ) => {
    const { csrfToken } = request;
    let sealed = found.enrolment.totpSealed;
    if (sealed === null) {
      sealed = auth.totp.offer(found.user.id);
      await auth.enrolments.offerTotp(found.enrolment, sealed);
    }
    const secret = auth.totp.revealOffer(found.user.id, sealed);
    return sendPage(
      reply,
      status,
      enrolPage({
        token,
        name: found.user.name,
        role: found.user.role,
        totpSecret: secret,
        otpauthUri: auth.totp.otpauthUri(ISSUER, found.user.name, secret),
        ...(error === undefined ? {} : { error }),
        ...(csrfToken === null ? {} : { csrfToken }),
      }),
    );
  };

  const gonePage = (reply: FastifyReply) =>
    sendPage(
      reply,
      404,
      messagePage('Enrolment link not valid', GONE, { href: '/sign-in', text: 'Sign in' }),
    );
  const goneJson = (reply: FastifyReply) =>
    sendJson(reply, 404, { error: { code: 'ENROLMENT_INVALID', message: GONE } });
  const limited = (request: FastifyRequest) => !auth.guard.allowAddress(clientAddress(request));
  const rateJson = (reply: FastifyReply) =>
    sendJson(reply, 429, {
      error: { code: 'SIGN_IN_RATE_LIMITED', message: 'Too many attempts from this address; wait a minute.' },
    });

  /** Uses the link up, issues recovery codes, records the enrolment and opens a session. */
  const finish = async (
    request: FastifyRequest,
    reply: FastifyReply,
    found: { enrolment: PendingEnrolment; user: ConsoleUser },
    method: 'passkey' | 'totp',
  ): Promise<string[] | undefined> => {
    if (!(await auth.enrolments.complete(found.enrolment))) return undefined;
    const codes = await auth.recovery.issue(found.user.id);
    await auth.audit({
      actor: found.user.name,
      action: 'user.enrol',
      target: found.user.name,
      details: { method },
    });
    await startSession(auth, request, reply, found.user, 'enrolment');
    return codes;
  };

  app.get<Params>('/enrol/:token', { config: PUBLIC }, async (request, reply) => {
    const found = await open(request.params.token);
    return found ? page(request, reply, request.params.token, found, 200) : gonePage(reply);
  });

  app.post<Params>('/enrol/:token/totp', { config: PUBLIC }, async (request, reply) => {
    if (limited(request))
      return sendPage(
        reply,
        429,
        messagePage('Slow down', 'Too many attempts from this address; wait a minute.'),
      );
    const found = await open(request.params.token);
    if (!found) return gonePage(reply);
    const form = CodeForm.safeParse(request.body);
    const sealed = found.enrolment.totpSealed;
    if (
      !form.success ||
      sealed === null ||
      !(await auth.totp.confirm(found.user.id, sealed, form.data.code.trim()))
    )
      return page(
        request,
        reply,
        request.params.token,
        found,
        400,
        'That code is not right: check the app has the secret below and its clock is set.',
      );
    const codes = await finish(request, reply, found, 'totp');
    return codes ? sendPage(reply, 200, recoveryCodesPage(codes, '/')) : gonePage(reply);
  });

  app.post<Params>('/enrol/:token/passkey/options', { config: PUBLIC }, async (request, reply) => {
    if (limited(request)) return rateJson(reply);
    const found = await open(request.params.token);
    if (!found) return goneJson(reply);
    return sendJson(reply, 200, await auth.passkeys.registrationOptions(found.user));
  });

  app.post<Params>('/enrol/:token/passkey', { config: PUBLIC }, async (request, reply) => {
    if (limited(request)) return rateJson(reply);
    const found = await open(request.params.token);
    if (!found) return goneJson(reply);
    const body = RegistrationAnswer.safeParse(request.body);
    if (!body.success)
      return sendJson(reply, 400, {
        error: { code: 'AUTH_REQUEST_INVALID', message: 'the body is not a WebAuthn registration' },
      });
    try {
      await auth.passkeys.register(found.user, body.data.response as never);
    } catch (error) {
      if (!isVigilError(error) || error.code !== 'PASSKEY_REFUSED') throw error;
      return sendJson(reply, 400, { error: { code: error.code, message: error.message } });
    }
    const codes = await finish(request, reply, found, 'passkey');
    if (!codes) return goneJson(reply);
    return sendJson(reply, 200, { recoveryCodes: codes, next: '/' });
  });
}
