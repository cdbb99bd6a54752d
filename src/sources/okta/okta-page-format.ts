import type { PageFormat } from '../page-format.js';
import { normalizeOktaEvent } from './normalize.js';
import { checkEvent, jsonArraySpans } from './page-body.js';

/** Okta's System Log pages: a JSON array of LogEvent objects (okta-api.md §1). */
export const OKTA_PAGE_FORMAT: PageFormat = {
  name: 'okta',
  spans: jsonArraySpans,
  check: checkEvent,
  columns: (event) => normalizeOktaEvent(event.value, event.publishedMs),
};
