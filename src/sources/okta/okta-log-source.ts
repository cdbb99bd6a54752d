import type { Clock } from '../../core/clock.js';
import { VigilError } from '../../core/vigil-error.js';
import type { SourceErrorCode } from '../errors.js';
import type { Fetch, LogSource, PageOutcome } from '../log-source.js';
import { parseLinkHeader } from './link-header.js';
import { OKTA_PAGE_FORMAT } from './okta-page-format.js';
import { RateBudget } from './rate-budget.js';

export interface OktaLogSourceOptions {
  /** The source's name in vigil.yaml. */
  readonly name: string;
  /** The org URL, e.g. https://acme.okta.com. */
  readonly url: string;
  /** The API token (SSWS); read from its environment variable or file by the caller, never stored. */
  readonly token: string;
  readonly fetch: Fetch;
  readonly clock: Clock;
  /** Share of the org's per-minute rate-limit bucket this source may use (0 < share ≤ 1). */
  readonly rateShare: number;
  readonly requestTimeoutMs: number;
  /** Events per page (Okta's maximum is 1,000). */
  readonly pageLimit: number;
}

const LOGS_PATH = '/api/v1/logs';

/**
 * Okta's System Log behind the provider port (okta-api.md §1): `GET /api/v1/logs` with `since`
 * once, then only the `rel="next"` links Okta sends; `X-Rate-Limit-*` headers feed the rate budget.
 * A next link must stay on the org's own origin and the logs path (SSRF guard: a hostile or
 * compromised provider must not steer the collector, and its token, elsewhere).
 */
export class OktaLogSource implements LogSource {
  readonly format = OKTA_PAGE_FORMAT;
  readonly name: string;
  readonly pageLimit: number;
  readonly #origin: string;
  readonly #budget: RateBudget;

  constructor(private readonly o: OktaLogSourceOptions) {
    this.name = o.name;
    this.pageLimit = o.pageLimit;
    this.#origin = new URL(o.url).origin;
    this.#budget = new RateBudget(o.rateShare);
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
    let response: Response;
    let body: string;
    try {
      response = await this.o.fetch(cursor, {
        headers: { authorization: `SSWS ${this.o.token}`, accept: 'application/json' },
        signal: AbortSignal.any([AbortSignal.timeout(this.o.requestTimeoutMs), ...(signal ? [signal] : [])]),
        redirect: 'error',
      });
      body = await response.text();
    } catch (error) {
      if (signal?.aborted) throw error;
      return {
        kind: 'retry',
        why: `request failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    this.#budget.observe(response.headers);
    if (response.status === 429)
      return { kind: 'throttled', waitMs: this.#budget.waitAfter429(this.o.clock.now()) };
    if (response.status >= 500) return { kind: 'retry', why: `HTTP ${response.status}` };
    if (response.status !== 200)
      return { kind: 'refused', why: `HTTP ${response.status}: ${body.slice(0, 300)}` };
    const next = parseLinkHeader(response.headers.get('link'))['next'];
    return { kind: 'page', body, next: next === undefined ? null : this.#checkLink(next, cursor) };
  }

  /** A next link must stay on the source's own origin and API path. */
  #checkLink(link: string, page: string): string {
    let next: URL;
    try {
      next = new URL(link, page);
    } catch {
      throw this.#foreign(page, `next link is not a URL: ${link.slice(0, 200)}`);
    }
    if (next.origin !== this.#origin || next.pathname !== LOGS_PATH)
      throw this.#foreign(
        page,
        `next link leaves ${this.#origin}${LOGS_PATH}: ${next.origin}${next.pathname}`,
      );
    return next.toString();
  }

  #foreign(page: string, why: string): VigilError<SourceErrorCode> {
    return new VigilError('SOURCE_FOREIGN_LINK', `source ${this.name}, page ${page}: ${why}`, {
      category: 'external',
      details: { source: this.name, url: page },
    });
  }
}
