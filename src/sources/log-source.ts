import type { VigilError } from '../core/vigil-error.js';
import type { SourceErrorCode } from './errors.js';
import type { PageFormat } from './page-format.js';

/** What one request for a page came to. */
export type PageOutcome =
  /** A page: its body verbatim, and the cursor of the page after it (null: the provider gave none). */
  | { readonly kind: 'page'; readonly body: string; readonly next: string | null }
  /**
   * A body that cannot be a page (over a size limit, not UTF-8): quarantined like a malformed page.
   * `excerpt` is what of it is worth keeping as evidence.
   */
  | { readonly kind: 'bad'; readonly error: VigilError<SourceErrorCode>; readonly excerpt: string }
  /** Rate limited: wait this long (undefined: the provider did not say) and ask again. */
  | { readonly kind: 'throttled'; readonly waitMs: number | undefined }
  /** A failure worth retrying (5xx, network, timeout); `code` names it where a code exists. */
  | { readonly kind: 'retry'; readonly why: string; readonly code?: SourceErrorCode }
  /** The provider refused the request (4xx other than 429): retrying cannot help. */
  | { readonly kind: 'refused'; readonly why: string };

/**
 * The provider port: a provider's audit log as pages of raw events behind opaque cursors. The
 * adapter knows the provider's URLs, paging links, authentication and rate-limit headers; custody
 * knows only this. A cursor is whatever the adapter needs to fetch a page again (Okta: the `next`
 * URL), stored verbatim with the page's events so a restart resumes exactly there.
 */
export interface LogSource {
  /** The source's name in vigil.yaml, which names its ledger. */
  readonly name: string;
  /** How this provider's pages are split, checked and normalized. */
  readonly format: PageFormat;
  /** The most events a page holds; a shorter page means caught up. */
  readonly pageLimit: number;
  /** The cursor of a first run, starting at `sinceMs`. */
  startCursor(sinceMs: number): string;
  /** A cursor over the bounded window [sinceMs, untilMs), for re-reading what polling may have missed. */
  windowCursor(sinceMs: number, untilMs: number): string;
  /** How long to wait before the next request to keep within this source's share of the rate limit. */
  waitBeforeRequestMs(nowMs: number): number;
  /**
   * Fetches the page at `cursor`. A cursor that is not the source's own, whether stored or handed
   * back by the provider, throws SOURCE_FOREIGN_LINK before anything is sent; a redirect throws
   * SOURCE_REDIRECT and a page that is not JSON SOURCE_NOT_JSON.
   */
  fetchPage(cursor: string, signal?: AbortSignal): Promise<PageOutcome>;
}
