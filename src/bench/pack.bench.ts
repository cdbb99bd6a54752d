import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../core/clock.js';
import { createRandom } from '../core/seeded-random.js';
import { alertsConfigSchema } from '../alerts/alerts-config.js';
import { CustodyStore } from '../custody/custody-store.js';
import { LogCollector } from '../custody/log-collector.js';
import { storedDetectionLog } from '../custody/stored-detection-log.js';
import { DetectionFeed } from '../detect/pipeline/detection-feed.js';
import { DetectionPipeline } from '../detect/pipeline/detection-pipeline.js';
import { fileSignerProvider } from '../keys/key-providers.js';
import { openAlertDelivery } from '../runtime/alert-delivery.js';
import { SCENARIOS } from '../sim/scenarios/registry.js';
import { startSimulator } from '../sim/simulator.js';
import { OktaLogSource } from '../sources/okta/okta-log-source.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite.js';
import { atLeast, atMost, type BenchmarkSuite, type BenchRow } from './benchmark.js';

const SUITE = 'pack';
const END = '2026-03-10T12:00:00.000Z';

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;

/**
 * Issue 5: events/s through Vigil's whole detection pack (its Sigma rules and the stateful
 * detectors) over simulated org traffic with every attack drill in it, and the time from an
 * event's arrival (its page in hand) to its alert stored, through the real collector, SQLite
 * custody and alert store. In follow mode the poll interval comes on top of that.
 */
export const PACK_BENCHMARK: BenchmarkSuite = {
  name: SUITE,
  async run({ quick, workDir }): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const clock = new ManualClock(END);
    const sim = await startSimulator({
      seed: 7,
      users: quick ? 300 : 1000,
      days: quick ? 7 : 20,
      liveTraffic: false,
      clock,
      rateLimitPerMinute: 1_000_000,
      scenarios: [...SCENARIOS.keys()].map((name) => ({ name })),
    });
    try {
      const events = [...sim.truth()].sort((a, b) => a.published.localeCompare(b.published));

      // Throughput: parsed events straight through the pipeline, as `vigil detect` runs it. A first
      // pipeline warms the JIT up (a collector runs for days); a fresh one is measured.
      const warm = await DetectionPipeline.create();
      for (const e of events) warm.process(e);
      const pipeline = await DetectionPipeline.create();
      const t0 = performance.now();
      let detections = 0;
      for (const e of events) detections += pipeline.process(e).length;
      const rate = events.length / ((performance.now() - t0) / 1000);
      rows.push({
        suite: SUITE,
        name: 'events through the whole pack',
        value: Math.round(rate),
        unit: 'events/s',
        ...atLeast(rate, 100_000),
        note: `${events.length} simulated events, ${detections} detections, after a warm-up pass`,
      });

      // Arrival → alert: the collector against the simulator on loopback, detection after commit.
      const packDir = path.join(workDir, 'pack');
      const sqlite = await openSqliteStore({
        dataDir: packDir,
        access: 'write',
        bulk: true,
        backgroundCheckpoints: true,
      });
      const { intake } = openAlertDelivery(alertsConfigSchema.parse({}), sqlite.db, {
        env: {},
        baseDir: workDir,
        clock,
        random: createRandom(1),
      });
      const latencies: number[] = [];
      let pageArrived = 0;
      const feed = new DetectionFeed({
        log: storedDetectionLog(sqlite.db, clock),
        pipeline: await DetectionPipeline.factory(),
        onDetection: async (d, source) => {
          if ((await intake.ingest({ ...d, source })).isNew) latencies.push(performance.now() - pageArrived);
        },
      });
      await feed.start('okta');
      const store = new CustodyStore(sqlite, clock, fileSignerProvider(packDir));
      const ingest = store.ingest.bind(store);
      store.ingest = (...args: Parameters<typeof store.ingest>) => {
        pageArrived = performance.now();
        return ingest(...args);
      };
      await new LogCollector({
        source: new OktaLogSource({
          name: 'okta',
          url: sim.baseUrl,
          token: sim.token,
          clock,
          rateShare: 0.5,
          requestTimeoutMs: 30_000,
          pageLimit: 1000,
        }),
        store,
        clock,
        random: createRandom(2),
        sinceMs: Date.parse(END) - 30 * 86_400_000,
        onStored: (stored, firstLeaf) => feed.stored('okta', stored, firstLeaf),
      }).collectUntilCaughtUp();
      await sqlite.close();
      latencies.sort((a, b) => a - b);
      const p99 = quantile(latencies, 0.99);
      rows.push(
        {
          suite: SUITE,
          name: 'page arrival → alert stored, median',
          value: Math.round(quantile(latencies, 0.5)),
          unit: 'ms',
          note: `${latencies.length} alerts; 1000-event pages, custody commit first`,
        },
        {
          suite: SUITE,
          name: 'page arrival → alert stored, p99',
          value: Math.round(p99),
          unit: 'ms',
          ...atMost(p99, 2_000),
          note: 'plus the poll interval when following',
        },
      );
    } finally {
      await sim.close();
    }
    return rows;
  },
};
