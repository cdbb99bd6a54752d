import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { onTestFinished } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { Runtime } from '../../../src/runtime/runtime.js';
import { AccountStore } from '../../../src/server/auth/account-store.js';
import { ApiTokens } from '../../../src/server/auth/api-tokens.js';
import { consoleSealKey, registerAuth, requireRole } from '../../../src/server/auth/auth-plugin.js';
import type { AuthDeps } from '../../../src/server/auth/auth-deps.js';
import { Enrolments } from '../../../src/server/auth/enrolment.js';
import type { Role } from '../../../src/server/auth/principal.js';
import { totpCode } from '../../../src/sources/totp.js';
import { tempDir } from '../../support/temp-dir.js';

export const ORIGIN = 'https://vigil.test:8443';

/** A browser's cookie jar for one origin, enough for `vigil_session`. */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  take(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies as {
      name: string;
      value: string;
      maxAge?: number;
      expires?: Date;
    }[]) {
      if (cookie.value === '' || cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() <= 0))
        this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }

  header(): Record<string, string> {
    return this.cookies.size === 0
      ? {}
      : { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }
}

export interface AuthWorld {
  readonly app: FastifyInstance;
  readonly runtime: Runtime;
  readonly clock: ManualClock;
  readonly accounts: AccountStore;
  readonly enrolments: Enrolments;
  readonly tokens: ApiTokens;
  readonly dataDir: string;
  /** Adds a user and returns their enrolment token (what `vigil user add` prints the link of). */
  addUser(name: string, role: Role): Promise<string>;
  /** Enrols `token` with TOTP through the pages; returns the TOTP secret and the recovery codes. */
  enrolTotp(token: string, jar: CookieJar): Promise<{ secret: string; recoveryCodes: string[] }>;
  /** A user enrolled with TOTP and signed in: their jar, secret, recovery codes and CSRF token. */
  signedIn(
    name: string,
    role: Role,
  ): Promise<{ jar: CookieJar; secret: string; recoveryCodes: string[]; csrf: string }>;
  /** The session's CSRF token, from GET /auth/session. */
  csrfOf(jar: CookieJar): Promise<string>;
  /** Audit records of `action`, oldest first. */
  audited(
    action: string,
  ): Promise<{ actor: string; target?: string; details?: Readonly<Record<string, unknown>> }[]>;
}

/**
 * The sign-in layer on a bare fastify app over a real store in a temp data directory, with a few
 * routes behind each role (what H2's console routes do with `requireRole`), on a manual clock.
 */
export async function authWorld(
  options: { secure?: boolean; deps?: Partial<AuthDeps> } = {},
): Promise<AuthWorld> {
  const dataDir = tempDir('vigil-auth-');
  const clock = new ManualClock('2026-12-01T09:00:00Z');
  const runtime = await Runtime.open({ dataDir, access: 'write', env: {}, clock });
  const app = Fastify({ logger: false });
  await registerAuth(app, {
    store: runtime.store,
    clock,
    audit: runtime.auditLog(),
    origin: ORIGIN,
    secure: options.secure ?? true,
    rpName: 'Vigil test',
    sealKey: consoleSealKey(runtime),
    ...options.deps,
  });
  for (const role of ['viewer', 'analyst', 'admin'] as const) {
    app.get(`/t/${role}`, { preHandler: requireRole(role) }, async (request) => ({
      principal: request.principal,
    }));
    app.post(`/t/${role}`, { preHandler: requireRole(role) }, async (request) => ({
      changed: true,
      by: request.principal?.name,
    }));
  }
  onTestFinished(async () => {
    await app.close();
    await runtime.close();
  });
  const { db } = runtime.store;
  const accounts = new AccountStore(db, clock);
  const enrolments = new Enrolments(db, clock);
  const world: AuthWorld = {
    app,
    runtime,
    clock,
    accounts,
    enrolments,
    tokens: new ApiTokens(db, clock),
    dataDir,
    async addUser(name, role) {
      const user = await accounts.add(name, role);
      return (await enrolments.create(user.id)).token;
    },
    async enrolTotp(token, jar) {
      const page = await app.inject({ method: 'GET', url: `/enrol/${token}` });
      if (page.statusCode !== 200) throw new Error(`enrolment page ${page.statusCode}`);
      const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(page.body)?.[1];
      if (!secret) throw new Error('no TOTP secret on the enrolment page');
      const done = await app.inject({
        method: 'POST',
        url: `/enrol/${token}/totp`,
        ...form({ code: totpCode(secret, clock.now()) }),
      });
      if (done.statusCode !== 200) throw new Error(`enrolment ${done.statusCode}: ${done.body}`);
      jar.take(done);
      const recoveryCodes = [...done.body.matchAll(/<li><code>([0-9a-z-]+)<\/code><\/li>/g)].map(
        (m) => m[1]!,
      );
      return { secret, recoveryCodes };
    },
    async signedIn(name, role) {
      const jar = new CookieJar();
      const { secret, recoveryCodes } = await world.enrolTotp(await world.addUser(name, role), jar);
      return { jar, secret, recoveryCodes, csrf: await world.csrfOf(jar) };
    },
    async csrfOf(jar) {
      const session = await app.inject({ method: 'GET', url: '/auth/session', headers: jar.header() });
      const body = session.json<{ csrfToken?: string }>();
      if (!body.csrfToken) throw new Error(`no session: ${session.body}`);
      return body.csrfToken;
    },
    async audited(action) {
      return (await runtime.auditLog().list({ action })).reverse();
    },
  };
  return world;
}

/** Posts a form as a browser would. */
export function form(payload: Record<string, string>): { payload: string; headers: Record<string, string> } {
  return {
    payload: new URLSearchParams(payload).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}
