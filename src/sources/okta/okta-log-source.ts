import { VigilError } from '../../core/vigil-error.js';
import { DEFAULT_BODY_LIMITS, readBoundedBody, readBoundedUtf8, type BodyLimits } from '../bounded-body.js';
import type { SourceErrorCode } from '../errors.js';
import { undiciGet, type HttpGet } from '../http-get.js';
import type { HttpResponse } from '../http-send.js';
import type { LogSource, PageOutcome } from '../log-source.js';
import { providerExcerpt } from '../provider-excerpt.js';
import { parseLinkHeader } from './link-header.js';
import { OKTA_PAGE_FORMAT } from './okta-page-format.js';
import type { OktaConnection } from './okta-connection.js';
import { RateBudget } from './rate-budget.js';

export interface OktaLogSourceOptions extends OktaConnection {
  /** Events per page (Okta's maximum is 1,000). */
  readonly pageLimit: number;
}

const LOGS_PATH = '/api/v1/logs';
/** An error body is only quoted, shortened: a few KiB of it is plenty. */
const ERROR_BODY_LIMITS: BodyLimits = {
  maxBodyBytes: 16_384,
  maxDecodedBytes: 16_384,
  maxCompressionRatio: 100,
};
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Why a request's controller aborted when the timer fired. */
class RequestTimeout extends Error {}

/**
 * Okta's System Log behind the provider port (okta-api.md §1): `GET /api/v1/logs` with `since`
 * once, then only the `rel="next"` links Okta sends; `X-Rate-Limit-*` headers feed the rate budget.
 *
 * The provider is treated as an attacker (issue 19): every URL the collector is about to send the
 * token to, stored cursor included, must stay on the org's own origin and the logs path (SSRF
 * guard); redirects are refused, not followed; a page must say it is JSON; its body is read as a
 * stream within byte, inflation and ratio limits; one timer covers the whole request; and what a
 * provider's error body says is printed only shortened, with the token redacted.
 */
export class OktaLogSource implements LogSource {
  readonly format = OKTA_PAGE_FORMAT;
  readonly name: string;
  readonly pageLimit: number;
  readonly #origin: string;
  readonly #budget: RateBudget;
  readonly #http: HttpGet;
  readonly #limits: BodyLimits;

  constructor(private readonly o: OktaLogSourceOptions) {
    this.name = o.name;
    this.pageLimit = o.pageLimit;
    this.#origin = new URL(o.url).origin;
    this.#budget = new RateBudget(o.rateShare);
    this.#http = o.http ?? undiciGet;
    this.#limits = o.bodyLimits ?? DEFAULT_BODY_LIMITS;
  }

  startCursor(sinceMs: number): string {
    return `${this.#origin}${LOGS_PATH}?since=${encodeURIComponent(new Date(sinceMs).toISOString())}&limit=${this.pageLimit}`;
  }

  windowCursor(sinceMs: number, untilMs: number): string {
    return (
      `${this.#origin}${LOGS_PATH}?since=${encodeURIComponent(new Date(sinceMs).toISOString())}` +
      `&until=${encodeURIComponent(new Date(untilMs).toISOString())}&limit=${this.pageLimit}`
    );
  }

  waitBeforeRequestMs(nowMs: number): number {
    return this.#budget.waitMs(nowMs);
  }

  async fetchPage(cursor: string, signal?: AbortSignal): Promise<PageOutcome> {
    // Before anything is sent: a stored cursor is as untrusted as a link in a response.
    const url = this.#checkLink(cursor, 'cursor', cursor);
    // One timer for connect, headers and the whole body. A timer is held by the event loop until it
    // fires or is cleared, unlike AbortSignal.timeout, which Node 20 may collect mid-request (issue 19).
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new RequestTimeout()), this.o.requestTimeoutMs);
    const stop = () => controller.abort(signal?.reason);
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      return await this.#request(url, controller.signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (controller.signal.reason instanceof RequestTimeout)
        return {
          kind: 'retry',
          code: 'SOURCE_TIMEOUT',
          why: `no complete response within ${this.o.requestTimeoutMs} ms (collect.requestTimeoutMs)`,
        };
      if (error instanceof VigilError) throw error;
      return {
        kind: 'retry',
        why: `request failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
    }
  }

  async #request(url: string, signal: AbortSignal): Promise<PageOutcome> {
    const response = await this.#http(url, {
      headers: { authorization: `SSWS ${this.o.token}`, accept: 'application/json' },
      signal,
    });
    this.#budget.observe(response.headers);
    const { status, headers } = response;
    if (status >= 300 && status < 400) {
      response.body.destroy();
      throw this.#error(
        'SOURCE_REDIRECT',
        url,
        `answered HTTP ${status} (a redirect): refused, not followed`,
      );
    }
    if (status === 429) {
      response.body.destroy();
      return { kind: 'throttled', waitMs: this.#budget.waitAfter429(this.o.clock.now()) };
    }
    if (status >= 500) {
      response.body.destroy();
      return { kind: 'retry', why: `HTTP ${status}` };
    }
    if (status !== 200)
      return { kind: 'refused', why: `HTTP ${status}: ${await this.#errorText(response, signal)}` };
    const type = headers.get('content-type') ?? '';
    if (!JSON_TYPE.test(type)) {
      response.body.destroy();
      throw this.#error(
        'SOURCE_NOT_JSON',
        url,
        `page content type is '${providerExcerpt(type, [this.o.token], 80)}', not JSON`,
      );
    }
    let read: { text: string } | { invalid: string };
    try {
      read = await readBoundedUtf8(response.body, headers.get('content-encoding'), this.#limits, signal);
    } catch (error) {
      if (error instanceof VigilError && !signal.aborted)
        return { kind: 'bad', error: error as VigilError<SourceErrorCode>, excerpt: '' };
      throw error;
    }
    // Verbatim means the provider's bytes: invalid UTF-8 is refused, never replaced by U+FFFD.
    if ('invalid' in read)
      return {
        kind: 'bad',
        error: new VigilError('SOURCE_BAD_ENCODING', 'page body is not valid UTF-8', {
          category: 'external',
        }),
        excerpt: read.invalid,
      };
    const body = read.text;
    const next = parseLinkHeader(headers.get('link'))['next'];
    return { kind: 'page', body, next: next === undefined ? null : this.#checkLink(next, 'next link', url) };
  }

  /** A refusal's body, for the message: bounded, shortened, token redacted. */
  async #errorText(response: HttpResponse, signal: AbortSignal): Promise<string> {
    try {
      const bytes = await readBoundedBody(
        response.body,
        response.headers.get('content-encoding'),
        ERROR_BODY_LIMITS,
        signal,
      );
      return providerExcerpt(bytes.toString('utf8'), [this.o.token]);
    } catch (error) {
      if (signal.aborted) throw error;
      response.body.destroy();
      return '(body not shown: over 16 KiB or undecodable)';
    }
  }

  /** A URL the token would be sent to must stay on the source's own origin and API path. */
  #checkLink(link: string, what: string, page: string): string {
    let next: URL;
    try {
      next = new URL(link, page);
    } catch {
      throw this.#error(
        'SOURCE_FOREIGN_LINK',
        page,
        `${what} is not a URL: ${providerExcerpt(link, [this.o.token])}`,
      );
    }
    if (next.origin !== this.#origin || next.pathname !== LOGS_PATH)
      throw this.#error(
        'SOURCE_FOREIGN_LINK',
        page,
        `${what} leaves ${this.#origin}${LOGS_PATH}: ${providerExcerpt(`${next.origin}${next.pathname}`, [this.o.token])}`,
      );
    return next.toString();
  }

  #error(code: SourceErrorCode, page: string, why: string): VigilError<SourceErrorCode> {
    return new VigilError(
      code,
      `source ${this.name}, page ${providerExcerpt(page, [this.o.token], 300)}: ${why}`,
      {
        category: 'external',
        details: { source: this.name, url: page },
      },
    );
  }
}
