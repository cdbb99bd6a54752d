import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isVigilError } from '../../core/vigil-error.js';
import { inputError, parseRole, parseUserName } from './account-store.js';
import { requireRole } from './require-role.js';
import { sendJson } from './auth-replies.js';
import type { ConsoleAuth } from './console-auth.js';
import { enrolmentLink } from './enrolment.js';
import type { ServerAuthErrorCode } from './errors.js';

const ADMIN = { access: 'admin' } as const;

const NewUser = z.object({ name: z.string().max(200), role: z.string().max(40) });
const NewToken = z.object({ role: z.string().max(40), label: z.string().max(200) });

/** What each of this layer's input errors answers over HTTP; others are 400. */
const STATUS: Partial<Record<ServerAuthErrorCode, number>> = {
  USER_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  USER_EXISTS: 409,
};

type Named = { Params: { name: string } };

/**
 * The admin's user management over `/api/v1` (the same operations as `vigil user`, recorded in the
 * audit log as the signed-in admin): list, add (answers the one-time enrolment link), disable,
 * enable, reset, and API tokens. An admin cannot disable or reset themselves here (the command line
 * can), so a console is never left without the admin who was using it by a slip.
 */
export function registerUserRoutes(app: FastifyInstance, auth: ConsoleAuth): void {
  const admin = requireRole('admin');
  const actor = (request: FastifyRequest) => request.principal?.name ?? 'unknown';
  /** Runs `act`; a coded input error answers its status as `{error:{code,message}}`. */
  const answer = async (reply: FastifyReply, act: () => Promise<unknown>) => {
    try {
      return sendJson(reply, 200, await act());
    } catch (error) {
      if (!isVigilError(error) || error.category !== 'input') throw error;
      const status = STATUS[error.code as ServerAuthErrorCode] ?? 400;
      return sendJson(reply, status, { error: { code: error.code, message: error.message } });
    }
  };
  const notSelf = (request: FastifyRequest, name: string, what: string) => {
    if (request.principal?.name === name)
      throw badInput(`you cannot ${what} yourself here; use vigil user ${what} ${name}`);
  };

  app.get('/api/v1/users', { config: ADMIN, preHandler: admin }, async (_request, reply) =>
    answer(reply, async () => ({ users: await auth.accounts.list() })),
  );

  app.post('/api/v1/users', { config: ADMIN, preHandler: admin }, async (request, reply) =>
    answer(reply, async () => {
      const body = NewUser.safeParse(request.body);
      if (!body.success) throw badInput('the body must be {"name": NAME, "role": viewer|analyst|admin}');
      const role = parseRole(body.data.role, 'role');
      const user = await auth.accounts.add(parseUserName(body.data.name), role);
      const { token, expires } = await auth.enrolments.create(user.id);
      await auth.audit({ actor: actor(request), action: 'user.add', target: user.name, details: { role } });
      return { user, enrolmentLink: enrolmentLink(auth.origin, token), expires };
    }),
  );

  for (const what of ['disable', 'enable', 'reset'] as const)
    app.post<Named>(
      `/api/v1/users/:name/${what}`,
      { config: ADMIN, preHandler: admin },
      async (request, reply) =>
        answer(reply, async () => {
          const { name } = request.params;
          if (what !== 'enable') notSelf(request, name, what);
          const user = await auth.accounts[what](name);
          const link = what === 'reset' ? await auth.enrolments.create(user.id) : undefined;
          await auth.audit({ actor: actor(request), action: `user.${what}`, target: user.name });
          return {
            user: await auth.accounts.byId(user.id),
            ...(link ? { enrolmentLink: enrolmentLink(auth.origin, link.token), expires: link.expires } : {}),
          };
        }),
    );

  app.get('/api/v1/tokens', { config: ADMIN, preHandler: admin }, async (_request, reply) =>
    answer(reply, async () => ({ tokens: await auth.tokens.list() })),
  );

  app.post<Named>(
    '/api/v1/users/:name/tokens',
    { config: ADMIN, preHandler: admin },
    async (request, reply) =>
      answer(reply, async () => {
        const body = NewToken.safeParse(request.body);
        if (!body.success) throw badInput('the body must be {"role": viewer|analyst|admin, "label": TEXT}');
        const owner = await auth.accounts.require(request.params.name);
        const role = parseRole(body.data.role, 'role');
        const made = await auth.tokens.create(owner, role, body.data.label);
        await auth.audit({
          actor: actor(request),
          action: 'user.token-add',
          target: owner.name,
          details: { token: made.summary.id, role, label: body.data.label },
        });
        // Shown once: the store keeps only its hash.
        return { token: made.token, summary: made.summary };
      }),
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/tokens/:id/revoke',
    { config: ADMIN, preHandler: admin },
    async (request, reply) =>
      answer(reply, async () => {
        const summary = await auth.tokens.revoke(request.params.id.slice(0, 100));
        await auth.audit({
          actor: actor(request),
          action: 'user.token-revoke',
          target: summary.user,
          details: { token: summary.id },
        });
        return { summary };
      }),
  );
}

const badInput = (message: string) => inputError('USER_INPUT_INVALID', message);
