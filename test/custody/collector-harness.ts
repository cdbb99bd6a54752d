import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/seeded-random.js';
import { OktaCollector, type CollectorOptions } from '../../src/custody/okta-collector.js';
import { openCustody } from '../../src/custody/open-custody.js';
import { startSimulator, type SimulatorOptions } from '../../src/sim/simulator.js';

export const T0 = '2026-03-10T12:00:00.000Z';

/** A simulator and a fresh data directory sharing one pinned clock. */
export async function collectorWorld(sim: SimulatorOptions = {}) {
  const clock = new ManualClock(T0);
  const simulator = await startSimulator({ seed: 11, users: 15, days: 3, liveTraffic: false, clock, ...sim });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-custody-'));
  const custody = await openCustody(dataDir, clock);
  const source = { name: 'okta', type: 'okta' as const, url: simulator.baseUrl, tokenEnv: 'OKTA_TOKEN' };
  const collector = (options: Partial<CollectorOptions> = {}) =>
    new OktaCollector({
      source,
      token: simulator.token,
      store: custody.store,
      clock,
      random: createRandom(3),
      rateShare: 0.5,
      requestTimeoutMs: 2_000,
      pageLimit: 50,
      sinceMs: Date.parse(T0) - 7 * 86_400_000,
      ...options,
    });
  const storedIds = async () =>
    (await custody.db.selectFrom('events').select('provider_id').where('source', '=', 'okta').execute()).map(
      (r) => r.provider_id,
    );
  return {
    clock,
    simulator,
    dataDir,
    custody,
    collector,
    storedIds,
    close: async () => {
      await custody.close();
      await simulator.close();
    },
  };
}
