import { VigilError } from '../../core/vigil-error.js';
import type { SourceErrorCode } from '../errors.js';
import type { Clock } from '../../core/clock.js';
import type { BodyLimits } from '../bounded-body.js';
import type { HttpGet } from '../http-get.js';

/**
 * What every Okta adapter (the System Log, the configuration reader, the authentication client)
 * needs to speak to one org: where it is, the token, the network, the clock, and the bounds it keeps
 * (its share of each rate-limit bucket, one request's time, one body's size).
 */
export interface OktaConnection {
  /** The source's name in vigil.yaml. */
  readonly name: string;
  /** The org URL, e.g. https://acme.okta.com. */
  readonly url: string;
  /** The API token (SSWS); read from its environment variable or file by the caller, never stored. */
  readonly token: string;
  /** The network (default: undici, http-get.ts). */
  readonly http?: HttpGet;
  readonly clock: Clock;
  /** Share of each of the org's per-minute rate-limit buckets Vigil may use (0 < share ≤ 1). */
  readonly rateShare: number;
  /** One request, connect to last body byte. */
  readonly requestTimeoutMs: number;
  /** How much of a body is read (default DEFAULT_BODY_LIMITS). */
  readonly bodyLimits?: BodyLimits;
}

/** An error about one request of an Okta source, naming the source and the API path. */
export function oktaSourceError(
  source: string,
  code: SourceErrorCode,
  path: string,
  why: string,
): VigilError<SourceErrorCode> {
  return new VigilError(code, `source ${source}, ${path}: ${why}`, {
    category: 'external',
    details: { source, path },
  });
}
