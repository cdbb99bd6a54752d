import type { VigilError } from '../core/vigil-error.js';
import type { LogSource } from '../sources/log-source.js';

/**
 * A configured source whose secret is missing (its token variable unset, its token file absent or
 * readable by others): it fails alone, with the error naming what is missing, at its first request,
 * where collect reports a failing source; the other sources still collect (issue 19). It never
 * sends a request, so the empty token `source` was built with is never used.
 */
export function unavailableSource(source: LogSource, error: VigilError): LogSource {
  return {
    name: source.name,
    format: source.format,
    pageLimit: source.pageLimit,
    startCursor: (sinceMs) => source.startCursor(sinceMs),
    windowCursor: (sinceMs, untilMs) => source.windowCursor(sinceMs, untilMs),
    waitBeforeRequestMs: () => 0,
    fetchPage: () => Promise.reject(error),
  };
}
