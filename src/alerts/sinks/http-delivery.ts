import { request, type Dispatcher } from 'undici';
import type { Clock } from '../../core/clock.js';
import type { Random } from '../../core/seeded-random.js';
import { VigilError } from '../../core/vigil-error.js';
import type { SinkErrorCode } from './errors.js';
import { DEFAULT_RETRY_POLICY, backoffDelayMs, type RetryPolicy } from './retry-policy.js';

export interface HttpDeliveryOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly retry: RetryPolicy;
  /** Per-attempt limit on waiting for response headers and body. */
  readonly timeoutMs?: number;
  /** undici dispatcher (proxy, custom CA); the global one otherwise. */
  readonly dispatcher?: Dispatcher;
  /** Name used in errors; never the URL, which may itself be a secret (Slack webhook URLs are). */
  readonly sinkName: string;
}

/** Settings every HTTP sink takes besides its address. */
export interface HttpSinkSettings {
  readonly clock: Clock;
  readonly random: Random;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
  readonly dispatcher?: Dispatcher;
}

export const deliveryOptionsOf = (settings: HttpSinkSettings, sinkName: string): HttpDeliveryOptions => ({
  clock: settings.clock,
  random: settings.random,
  retry: settings.retry ?? DEFAULT_RETRY_POLICY,
  sinkName,
  ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
  ...(settings.dispatcher === undefined ? {} : { dispatcher: settings.dispatcher }),
});

/** 408 and 429 are the 4xx answers that mean "later", not "wrong" (RFC 9110 §15.5.9, RFC 6585 §4). */
const isRetryableStatus = (status: number): boolean => status >= 500 || status === 408 || status === 429;

/**
 * POSTs one body, retrying 5xx, 408/429 and network errors with Clock-driven exponential backoff
 * and seeded jitter; any other 4xx fails at once, since resending the same request cannot help.
 * `buildHeaders` runs per attempt so a signed timestamp is fresh on each retry.
 */
export async function postWithRetry(
  url: string,
  body: string,
  buildHeaders: () => Record<string, string>,
  options: HttpDeliveryOptions,
): Promise<void> {
  let lastProblem = '';
  for (let attempt = 1; attempt <= options.retry.maxAttempts; attempt++) {
    if (attempt > 1) await options.clock.sleep(backoffDelayMs(options.retry, attempt - 1, options.random));
    try {
      const response = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...buildHeaders() },
        body,
        headersTimeout: options.timeoutMs ?? 10_000,
        bodyTimeout: options.timeoutMs ?? 10_000,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
      // Drain the body so the connection returns to the pool.
      await response.body.dump();
      if (response.statusCode < 300) return;
      lastProblem = `HTTP ${response.statusCode}`;
      if (!isRetryableStatus(response.statusCode)) {
        throw new VigilError<SinkErrorCode>(
          'SINK_REJECTED',
          `${options.sinkName}: receiver answered ${lastProblem}`,
          {
            category: 'external',
            details: { sink: options.sinkName, status: response.statusCode, attempts: attempt },
          },
        );
      }
    } catch (error) {
      if (error instanceof VigilError) throw error;
      lastProblem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
  throw new VigilError<SinkErrorCode>(
    'SINK_DELIVERY_FAILED',
    `${options.sinkName}: delivery failed after ${options.retry.maxAttempts} attempts (${lastProblem})`,
    { category: 'external', details: { sink: options.sinkName, attempts: options.retry.maxAttempts } },
  );
}
