import { ManualClock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/seeded-random.js';
import { CustodyStore } from '../../src/custody/custody-store.js';
import { LogCollector, type CollectorOptions } from '../../src/custody/log-collector.js';
import { fileSignerProvider } from '../../src/keys/key-providers.js';
import { OktaLogSource, type OktaLogSourceOptions } from '../../src/sources/okta/okta-log-source.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { startSimulator, type SimulatorOptions } from '../../src/sim/simulator.js';
import { tempDir } from '../support/temp-dir.js';

export const T0 = '2026-03-10T12:00:00.000Z';

/** Collector options, plus the Okta adapter's (`url`, `token`, `pageLimit`, ...) for its source. */
export type HarnessCollectorOptions = Partial<Omit<CollectorOptions, 'source'>> &
  Partial<
    Pick<
      OktaLogSourceOptions,
      'url' | 'token' | 'rateShare' | 'requestTimeoutMs' | 'pageLimit' | 'bodyLimits'
    >
  >;

/** A simulator and a fresh data directory sharing one pinned clock. */
export async function collectorWorld(sim: SimulatorOptions = {}) {
  const clock = new ManualClock(T0);
  const simulator = await startSimulator({ seed: 11, users: 15, days: 3, liveTraffic: false, clock, ...sim });
  const dataDir = tempDir('vigil-custody-');
  const store = await openSqliteStore({ dataDir, access: 'write' });
  const custody = {
    db: store.db,
    store: new CustodyStore(store, clock, fileSignerProvider(dataDir)),
    close: () => store.close(),
  };
  const collector = ({
    url = simulator.baseUrl,
    token = simulator.token,
    rateShare = 0.5,
    requestTimeoutMs = 2_000,
    pageLimit = 50,
    bodyLimits,
    ...options
  }: HarnessCollectorOptions = {}) =>
    new LogCollector({
      source: new OktaLogSource({
        name: 'okta',
        url,
        token,
        clock,
        rateShare,
        requestTimeoutMs,
        pageLimit,
        ...(bodyLimits ? { bodyLimits } : {}),
      }),
      store: custody.store,
      clock,
      random: createRandom(3),
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
