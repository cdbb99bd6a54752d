/**
 * The provider port for configuration (posture): read every configuration object the provider's
 * APIs expose, keyed by the object's own API path. An adapter (sources/okta/okta-config-reader.ts)
 * pages, keeps inside its rate-limit share and treats every response as hostile, as the log
 * adapter does.
 */
export interface ConfigReader {
  readonly name: string;
  read(signal?: AbortSignal): Promise<ConfigReading>;
}

export interface ConfigReading {
  /** Every object read, by API path. */
  readonly objects: Record<string, unknown>;
  /** Families that could not be read, and why; their checks fail closed. */
  readonly incomplete: { readonly family: string; readonly reason: string }[];
  /** What the reading cost: requests sent, 429s met, milliseconds spent waiting for the rate budget. */
  readonly requests: number;
  readonly throttled: number;
  readonly waitedMs: number;
}
