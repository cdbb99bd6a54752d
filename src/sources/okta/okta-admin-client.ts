import { readProviderJson } from '../provider-json.js';
import { VigilError } from '../../core/vigil-error.js';
import type { SourceErrorCode } from '../errors.js';
import type { AdminClient, AdminOutcome, ProviderSupportCase } from '../admin-client.js';
import type { BodyLimits } from '../bounded-body.js';
import { providerExcerpt } from '../provider-excerpt.js';
import { undiciSend, type HttpMethod, type HttpSend } from '../http-send.js';
import { oktaSourceError, type OktaConnection } from './okta-connection.js';
import { BucketBudgets } from './rate-budget.js';

/** One answer as the adapter reads it: the status, the JSON body, Okta's error code and summary. */
interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly errorCode?: string;
  readonly summary?: string;
  readonly problem?: string;
}

export interface OktaAdminClientOptions extends Omit<OktaConnection, 'http'> {
  readonly http?: HttpSend;
  /** 429s waited out for one call before it is reported refused (default 3). */
  readonly maxThrottles?: number;
  /** The longest single wait for a rate-limit reset (default 120 s); longer is reported refused. */
  readonly maxWaitMs?: number;
}

/** An admin answer is small (a case list, a rule, an error). */
const LIMITS: BodyLimits = { maxBodyBytes: 1 << 20, maxDecodedBytes: 1 << 20, maxCompressionRatio: 100 };
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const ID = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Okta's management API for response (admin-client.ts), on the connection every Okta adapter
 * shares: each rate-limit bucket kept inside `rateShare` (a call waits for the reset rather than spend
 * another integration's share), a 429 waited out at most `maxThrottles` times and then reported,
 * bounded bodies, a timeout per request, redirects refused, unambiguous JSON only. Paths are Okta's
 * (its management API specification; the SDK's `UserApi`, `OrgSettingApi`, `ApiTokenApi`,
 * `IdentityProviderApi`, `PolicyApi`).
 */
export class OktaAdminClient implements AdminClient {
  readonly name: string;
  readonly #origin: string;
  readonly #http: HttpSend;
  readonly #budgets: BucketBudgets;

  constructor(private readonly o: OktaAdminClientOptions) {
    this.name = o.name;
    this.#origin = new URL(o.url).origin;
    this.#http = o.http ?? undiciSend;
    this.#budgets = new BucketBudgets(o.rateShare, (path) => path.split('/')[3] ?? path);
  }

  async supportCases(signal?: AbortSignal): Promise<ProviderSupportCase[]> {
    const path = '/api/v1/org/privacy/oktaSupport/cases';
    const answer = await this.#read(path, signal);
    const list = (answer as { supportCases?: unknown } | undefined)?.supportCases;
    if (!Array.isArray(list)) throw this.#bad(path, 'the answer has no supportCases list');
    return list.flatMap((c: unknown) => {
      const x = (c ?? {}) as Record<string, unknown>;
      const imp = (x['impersonation'] ?? {}) as Record<string, unknown>;
      const self = (x['selfAssigned'] ?? {}) as Record<string, unknown>;
      if (typeof x['caseNumber'] !== 'string' || !/^[0-9]{1,32}$/.test(x['caseNumber'])) return [];
      return [
        {
          caseNumber: x['caseNumber'],
          subject: typeof x['subject'] === 'string' ? x['subject'].slice(0, 500) : '',
          impersonation: typeof imp['status'] === 'string' ? imp['status'].slice(0, 40) : 'UNKNOWN',
          expiration: typeof imp['expiration'] === 'string' ? imp['expiration'].slice(0, 40) : null,
          selfAssigned: typeof self['status'] === 'string' ? self['status'].slice(0, 40) : null,
        },
      ];
    });
  }

  async supportAccess(signal?: AbortSignal): Promise<{ enabled: boolean; expiration: string | null }> {
    const path = '/api/v1/org/privacy/oktaSupport';
    const x = ((await this.#read(path, signal)) ?? {}) as Record<string, unknown>;
    if (x['support'] !== 'ENABLED' && x['support'] !== 'DISABLED')
      throw this.#bad(path, 'the answer has no support status');
    return {
      enabled: x['support'] === 'ENABLED',
      expiration: typeof x['expiration'] === 'string' ? x['expiration'].slice(0, 40) : null,
    };
  }

  revokeSupportAccess(signal?: AbortSignal): Promise<AdminOutcome> {
    return this.#write('POST', '/api/v1/org/privacy/oktaSupport/revoke', undefined, signal);
  }

  revokeSupportCase(caseNumber: string, signal?: AbortSignal): Promise<AdminOutcome> {
    const body = JSON.stringify({ impersonation: { status: 'DISABLED' } });
    return this.#write('PATCH', `/api/v1/org/privacy/oktaSupport/cases/${id(caseNumber)}`, body, signal);
  }

  async userStatus(userId: string, signal?: AbortSignal): Promise<string | undefined> {
    const u = (await this.#read(`/api/v1/users/${id(userId)}`, signal, true)) as
      { status?: unknown } | undefined;
    return typeof u?.status === 'string' ? u.status.slice(0, 40) : undefined;
  }

  clearSessions(userId: string, signal?: AbortSignal): Promise<AdminOutcome> {
    return this.#write('DELETE', `/api/v1/users/${id(userId)}/sessions`, undefined, signal);
  }

  suspendUser(userId: string, signal?: AbortSignal): Promise<AdminOutcome> {
    return this.#write('POST', `/api/v1/users/${id(userId)}/lifecycle/suspend`, undefined, signal);
  }

  resetFactors(userId: string, signal?: AbortSignal): Promise<AdminOutcome> {
    return this.#write('POST', `/api/v1/users/${id(userId)}/lifecycle/reset_factors`, undefined, signal);
  }

  async apiTokenExists(tokenId: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.#read(`/api/v1/api-tokens/${id(tokenId)}`, signal, true)) !== undefined;
  }

  revokeApiToken(tokenId: string, signal?: AbortSignal): Promise<AdminOutcome> {
    return this.#write('DELETE', `/api/v1/api-tokens/${id(tokenId)}`, undefined, signal);
  }

  async idpStatus(idpId: string, signal?: AbortSignal): Promise<string | undefined> {
    const x = (await this.#read(`/api/v1/idps/${id(idpId)}`, signal, true)) as
      { status?: unknown } | undefined;
    return typeof x?.status === 'string' ? x.status.slice(0, 40) : undefined;
  }

  deactivateIdp(idpId: string, signal?: AbortSignal): Promise<AdminOutcome> {
    return this.#write('POST', `/api/v1/idps/${id(idpId)}/lifecycle/deactivate`, undefined, signal);
  }

  async policyRule(
    policyId: string,
    ruleId: string,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown> | undefined> {
    const x = await this.#read(`/api/v1/policies/${id(policyId)}/rules/${id(ruleId)}`, signal, true);
    return typeof x === 'object' && x !== null && !Array.isArray(x)
      ? (x as Record<string, unknown>)
      : undefined;
  }

  replacePolicyRule(
    policyId: string,
    ruleId: string,
    rule: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<AdminOutcome> {
    const path = `/api/v1/policies/${id(policyId)}/rules/${id(ruleId)}`;
    return this.#write('PUT', path, JSON.stringify(rule), signal);
  }

  /** A read that must succeed (404 is `undefined` when `missingOk`); anything else throws, coded. */
  async #read(path: string, signal: AbortSignal | undefined, missingOk = false): Promise<unknown> {
    const answer = await this.#send('GET', path, undefined, signal);
    if (answer.status === 404 && missingOk) return undefined;
    if (answer.status !== 200 || answer.problem !== undefined) {
      const why = `HTTP ${answer.status}${answer.errorCode ? ` ${answer.errorCode}` : ''}${answer.summary ? ` ${answer.summary}` : ''}${answer.problem ? `: ${answer.problem}` : ''}`;
      throw new VigilError<SourceErrorCode>('SOURCE_BAD_PAGE', `source ${this.name}, ${path}: ${why}`, {
        category: 'external',
        details: {
          source: this.name,
          path,
          httpStatus: answer.status,
          ...(answer.errorCode === undefined ? {} : { errorCode: answer.errorCode }),
        },
      });
    }
    return answer.body;
  }

  /** A write: done (2xx) or refused with the provider's code; a transport failure is a refusal with status 0. */
  async #write(
    method: HttpMethod,
    path: string,
    body: string | undefined,
    signal?: AbortSignal,
  ): Promise<AdminOutcome> {
    let answer: Answer;
    try {
      answer = await this.#send(method, path, body, signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, httpStatus: 0, reason: providerExcerpt(message, [this.o.token]) };
    }
    if (answer.status >= 200 && answer.status < 300) return { ok: true, httpStatus: answer.status };
    return {
      ok: false,
      httpStatus: answer.status,
      ...(answer.errorCode === undefined ? {} : { errorCode: answer.errorCode }),
      reason: answer.summary ?? answer.problem ?? `HTTP ${answer.status}`,
    };
  }

  /**
   * One call inside the bucket's share; a 429 waits for the announced reset, at most `maxThrottles`
   * times and never longer than `maxWaitMs` at once, then answers the 429.
   */
  async #send(
    method: HttpMethod,
    path: string,
    body: string | undefined,
    outer: AbortSignal | undefined,
  ): Promise<Answer> {
    const budget = this.#budgets.for(path);
    const maxWait = this.o.maxWaitMs ?? 120_000;
    for (let throttles = 0; ; throttles++) {
      const wait = budget.waitMs(this.o.clock.now());
      if (wait > maxWait)
        throw oktaSourceError(
          this.name,
          'SOURCE_TIMEOUT',
          path,
          `the rate limit resets in ${Math.ceil(wait / 1000)} s`,
        );
      if (wait > 0) await this.o.clock.sleep(wait, outer);
      const answer = await this.#once(method, path, body, outer, budget);
      if (answer.status !== 429 || throttles >= (this.o.maxThrottles ?? 3)) return answer;
      const reset = budget.waitAfter429(this.o.clock.now()) ?? 60_000;
      if (reset > maxWait) return answer;
      await this.o.clock.sleep(reset, outer);
    }
  }

  async #once(
    method: HttpMethod,
    path: string,
    body: string | undefined,
    outer: AbortSignal | undefined,
    budget: ReturnType<BucketBudgets['for']>,
  ): Promise<Answer> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('timeout')), this.o.requestTimeoutMs);
    const stop = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', stop, { once: true });
    try {
      const response = await this.#http(`${this.#origin}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `SSWS ${this.o.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
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
      if (response.status === 204 || !JSON_TYPE.test(response.headers.get('content-type') ?? '')) {
        response.body.destroy();
        return response.status === 204 || response.status >= 400
          ? { status: response.status }
          : { status: response.status, problem: 'the answer is not JSON' };
      }
      const answer = await readProviderJson(
        response.body,
        response.headers.get('content-encoding'),
        {
          ...LIMITS,
          ...this.o.bodyLimits,
          maxBodyBytes: Math.min(LIMITS.maxBodyBytes, this.o.bodyLimits?.maxBodyBytes ?? Infinity),
        },
        controller.signal,
      );
      if ('problem' in answer) return { status: response.status, problem: answer.problem };
      const parsed = answer.json;
      const e = (parsed ?? {}) as { errorCode?: unknown; errorSummary?: unknown };
      return {
        status: response.status,
        body: parsed,
        ...(typeof e.errorCode === 'string' && /^E\d{7}$/.test(e.errorCode)
          ? { errorCode: e.errorCode }
          : {}),
        ...(typeof e.errorSummary === 'string'
          ? { summary: providerExcerpt(e.errorSummary, [this.o.token]) }
          : {}),
      };
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

  #bad(path: string, why: string) {
    return oktaSourceError(this.name, 'SOURCE_BAD_PAGE', path, why);
  }
}

/** An id that goes into a path: plain characters only (anything else is the caller's bug). */
function id(value: string): string {
  if (!ID.test(value)) throw new TypeError(`not a plain provider id: ${JSON.stringify(value).slice(0, 80)}`);
  return value;
}
