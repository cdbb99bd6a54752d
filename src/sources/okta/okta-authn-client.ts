import { readProviderJson } from '../provider-json.js';
import type { AuthnAttempt, AuthnClient, PasswordLockout } from '../authn-client.js';
import type { BodyLimits } from '../bounded-body.js';
import { providerExcerpt } from '../provider-excerpt.js';
import { undiciSend, type HttpSend } from '../http-send.js';
import { oktaSourceError, type OktaConnection } from './okta-connection.js';
import { BucketBudgets } from './rate-budget.js';

/**
 * The org as every Okta adapter reaches it (okta-connection.ts), with the User-Agent the probes sign
 * in with; the token serves only the admin calls. Bodies keep this adapter's own small bound.
 */
export interface OktaAuthnClientOptions extends Omit<OktaConnection, 'http' | 'bodyLimits'> {
  readonly userAgent: string;
  /** The network (default: undici, no redirect followed). */
  readonly http?: HttpSend;
}

/** An authn answer is small: a transaction with its links, or an error. */
const LIMITS: BodyLimits = { maxBodyBytes: 65_536, maxDecodedBytes: 65_536, maxCompressionRatio: 100 };
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const ID = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Okta's Classic Authentication API (`POST /api/v1/authn`, `POST /api/v1/authn/factors/{id}/verify`)
 * for canary probes, with the log adapter's discipline: bounded bodies, a timeout per request,
 * redirects refused, unambiguous JSON only, each rate-limit bucket kept inside `rateShare` (a probe
 * waits for the reset rather than spend another integration's share). Secrets sent (password,
 * passcode, token) never appear in what it returns or throws.
 */
export class OktaAuthnClient implements AuthnClient {
  readonly name: string;
  readonly userAgent: string;
  readonly #origin: string;
  readonly #http: HttpSend;
  readonly #budgets: BucketBudgets;

  constructor(private readonly o: OktaAuthnClientOptions) {
    this.name = o.name;
    this.userAgent = o.userAgent;
    this.#origin = new URL(o.url).origin;
    this.#http = o.http ?? undiciSend;
    this.#budgets = new BucketBudgets(o.rateShare, (path) =>
      path.startsWith('/api/v1/authn') ? 'authn' : (path.split('/')[3] ?? path),
    );
  }

  primary(username: string, password: string, signal?: AbortSignal): Promise<AuthnAttempt> {
    return this.#authn('/api/v1/authn', { username, password }, [password], signal);
  }

  verifyTotp(
    factorId: string,
    stateToken: string,
    passCode: string,
    signal?: AbortSignal,
  ): Promise<AuthnAttempt> {
    if (!ID.test(factorId)) throw new TypeError('factorId must be a plain id');
    return this.#authn(
      `/api/v1/authn/factors/${factorId}/verify`,
      { stateToken, passCode },
      [stateToken, passCode],
      signal,
    );
  }

  async user(login: string, signal?: AbortSignal): Promise<{ id: string; status: string }> {
    const path = `/api/v1/users/${encodeURIComponent(login)}`;
    const { status, body } = await this.#send('GET', path, undefined, signal, true);
    const u = body as { id?: unknown; status?: unknown } | undefined;
    if (status !== 200 || typeof u?.id !== 'string' || !ID.test(u.id) || typeof u.status !== 'string')
      throw oktaSourceError(
        this.name,
        'SOURCE_BAD_PAGE',
        path,
        `reading canary ${login} answered HTTP ${status}`,
      );
    return { id: u.id, status: u.status };
  }

  async unlock(userId: string, signal?: AbortSignal): Promise<void> {
    if (!ID.test(userId)) throw new TypeError('userId must be a plain id');
    const path = `/api/v1/users/${userId}/lifecycle/unlock`;
    const { status } = await this.#send('POST', path, '{}', signal, true);
    if (status !== 200 && status !== 204)
      throw oktaSourceError(this.name, 'SOURCE_BAD_PAGE', path, `unlock answered HTTP ${status}`);
  }

  async passwordLockout(signal?: AbortSignal): Promise<PasswordLockout | undefined> {
    const path = '/api/v1/policies';
    const { status, body } = await this.#send('GET', `${path}?type=PASSWORD`, undefined, signal, true);
    if (status !== 200 || !Array.isArray(body))
      throw oktaSourceError(
        this.name,
        'SOURCE_BAD_PAGE',
        path,
        `the password policies answered HTTP ${status}`,
      );
    return lockoutOf(body);
  }

  async #authn(
    path: string,
    payload: object,
    secrets: string[],
    signal?: AbortSignal,
  ): Promise<AuthnAttempt> {
    let answer: { status: number; body: unknown; problem?: string };
    try {
      answer = await this.#send('POST', path, JSON.stringify(payload), signal, false);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const message = error instanceof Error ? error.message : String(error);
      return { httpStatus: 0, problem: providerExcerpt(message, secrets) };
    }
    const b = (answer.body ?? {}) as Record<string, unknown>;
    const out: {
      httpStatus: number;
      status?: string;
      errorCode?: string;
      stateToken?: string;
      factors?: { id: string; factorType: string }[];
      problem?: string;
    } = { httpStatus: answer.status };
    if (answer.problem !== undefined) out.problem = answer.problem;
    if (typeof b['status'] === 'string' && /^[A-Z_]{1,40}$/.test(b['status'])) out.status = b['status'];
    if (typeof b['errorCode'] === 'string' && /^E\d{7}$/.test(b['errorCode'])) out.errorCode = b['errorCode'];
    if (typeof b['stateToken'] === 'string') out.stateToken = b['stateToken'];
    const factors = (b['_embedded'] as { factors?: unknown } | undefined)?.factors;
    if (Array.isArray(factors))
      out.factors = factors.flatMap((f: unknown) => {
        const x = f as { id?: unknown; factorType?: unknown } | null;
        return typeof x?.id === 'string' && ID.test(x.id) && typeof x.factorType === 'string'
          ? [{ id: x.id, factorType: x.factorType }]
          : [];
      });
    return out;
  }

  /** One request inside the bucket's share, bounded in time and size; a redirect is refused. */
  async #send(
    method: 'GET' | 'POST',
    pathAndQuery: string,
    body: string | undefined,
    outer: AbortSignal | undefined,
    admin: boolean,
  ): Promise<{ status: number; body: unknown; problem?: string }> {
    const path = pathAndQuery.split('?')[0]!;
    const budget = this.#budgets.for(path);
    const wait = budget.waitMs(this.o.clock.now());
    if (wait > 120_000)
      throw oktaSourceError(
        this.name,
        'SOURCE_TIMEOUT',
        path,
        `the rate limit resets in ${Math.ceil(wait / 1000)} s`,
      );
    if (wait > 0) await this.o.clock.sleep(wait, outer);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('timeout')), this.o.requestTimeoutMs);
    const stop = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', stop, { once: true });
    try {
      const headers: Record<string, string> = {
        accept: 'application/json',
        'user-agent': this.userAgent,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(admin ? { authorization: `SSWS ${this.o.token}` } : {}),
      };
      const response = await this.#http(`${this.#origin}${pathAndQuery}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: controller.signal,
      });
      budget.observe(response.headers);
      if (response.status >= 300 && response.status < 400) {
        response.body.destroy();
        throw oktaSourceError(
          this.name,
          'SOURCE_REDIRECT',
          path,
          `HTTP ${response.status}: a redirect, refused and not followed`,
        );
      }
      if (response.status === 204) {
        response.body.destroy();
        return { status: 204, body: undefined };
      }
      if (!JSON_TYPE.test(response.headers.get('content-type') ?? '')) {
        response.body.destroy();
        return { status: response.status, body: undefined, problem: 'the answer is not JSON' };
      }
      const answer = await readProviderJson(
        response.body,
        response.headers.get('content-encoding'),
        LIMITS,
        controller.signal,
      );
      if ('problem' in answer) return { status: response.status, body: undefined, problem: answer.problem };
      return { status: response.status, body: answer.json };
    } catch (error) {
      if (outer?.aborted) throw outer.reason;
      if (controller.signal.aborted)
        throw oktaSourceError(
          this.name,
          'SOURCE_TIMEOUT',
          path,
          `no complete answer within ${this.o.requestTimeoutMs} ms`,
        );
      throw error;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', stop);
    }
  }
}

/**
 * The lockout of the password policy that applies first: the active policy of lowest priority
 * number (the default policy last). A policy's `settings.password.lockout` is Okta's shape.
 */
export function lockoutOf(policies: readonly unknown[]): PasswordLockout | undefined {
  const active = policies
    .map(
      (p) => p as { status?: unknown; priority?: unknown; settings?: { password?: { lockout?: unknown } } },
    )
    .filter((p) => p?.status === 'ACTIVE')
    .sort((a, b) => Number(a.priority ?? 1e9) - Number(b.priority ?? 1e9));
  for (const p of active) {
    const l = p.settings?.password?.lockout as
      { maxAttempts?: unknown; autoUnlockMinutes?: unknown } | undefined;
    if (typeof l?.maxAttempts === 'number' && Number.isInteger(l.maxAttempts) && l.maxAttempts > 0)
      return {
        maxAttempts: l.maxAttempts,
        autoUnlockMinutes: typeof l.autoUnlockMinutes === 'number' ? l.autoUnlockMinutes : null,
      };
  }
  return undefined;
}
