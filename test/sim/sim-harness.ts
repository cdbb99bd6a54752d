import { ManualClock } from '../../src/core/clock.js';
import { startSimulator, type SimulatorOptions } from '../../src/sim/simulator.js';

export const T0 = '2026-03-10T12:00:00.000Z';

/** A small, frozen org on a pinned clock: fast and deterministic. */
export async function smallSim(options: SimulatorOptions = {}) {
  const clock = new ManualClock(T0);
  const sim = await startSimulator({ seed: 7, users: 12, days: 2, liveTraffic: false, clock, ...options });
  const get = async (query: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${sim.baseUrl}/api/v1/logs${query}`, {
      headers: { authorization: `SSWS ${sim.token}`, ...headers },
    });
    const text = await res.text();
    return { res, text, links: res.headers.get('link') ?? '' };
  };
  return { sim, clock, get };
}

/** The `rel` links of a response, parsed from Okta's link header lines. */
export function parseLinks(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.matchAll(/<([^>]+)>;\s*rel="([^"]+)"/g)) out[m[2]!] = m[1]!;
  return out;
}
