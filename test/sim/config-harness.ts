import { Client } from '@okta/okta-sdk-nodejs';
import type { OktaLogEvent } from '../../src/sources/okta/log-event.js';
import type { SimulatorOptions } from '../../src/sim/simulator.js';
import { smallSim, T0 } from './sim-harness.js';

/**
 * A small simulator for the configuration APIs (docs/simulator-config.md), with plain HTTP helpers,
 * Okta's Node SDK pointed at it (no response cache, so every read reaches the simulator), and the
 * System Log read back after Okta's commit lag.
 */
export async function configSim(options: SimulatorOptions = {}) {
  const s = await smallSim({ users: 40, control: true, ...options });
  const auth = { authorization: `SSWS ${s.sim.token}` };
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = auth,
  ) => {
    const res = await fetch(`${s.sim.baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      res,
      status: res.status,
      json: text === '' ? undefined : (JSON.parse(text) as unknown),
      links: res.headers.get('link') ?? '',
    };
  };
  /** Events of a type published since the simulator started (the clock moves past the commit lag first). */
  const events = async (eventType: string): Promise<OktaLogEvent[]> => {
    s.clock.advance(11_000);
    const q = new URLSearchParams({
      since: new Date(Date.parse(T0) - 60_000).toISOString(),
      filter: `eventType eq "${eventType}"`,
      limit: '1000',
    });
    const r = await call('GET', `/api/v1/logs?${q.toString()}`);
    return r.json as OktaLogEvent[];
  };
  const client = new Client({ orgUrl: s.sim.baseUrl, token: s.sim.token, cacheMiddleware: null });
  return { ...s, call, events, client };
}

/** Every item of an SDK collection. */
export async function all<T>(collection: AsyncIterable<T | null>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of collection) if (item) out.push(item);
  return out;
}

/** The value at a dotted path inside parsed JSON or an SDK model (`undefined` when absent). */
export function at(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Parsed JSON as an array of objects. */
export const rows = (value: unknown): Record<string, unknown>[] => value as Record<string, unknown>[];
