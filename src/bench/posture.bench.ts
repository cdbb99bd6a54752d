import { performance } from 'node:perf_hooks';
import { ManualClock } from '../core/clock.js';
import { createRandom } from '../core/seeded-random.js';
import { LogCollector } from '../custody/log-collector.js';
import { CustodyStore } from '../custody/custody-store.js';
import { fileSignerProvider } from '../keys/key-providers.js';
import { PostureService } from '../posture/posture-service.js';
import { startSimulator } from '../sim/simulator.js';
import { undiciGet, type HttpGet } from '../sources/http-get.js';
import { bucketOf, OktaConfigReader } from '../sources/okta/okta-config-reader.js';
import { OktaLogSource } from '../sources/okta/okta-log-source.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite.js';
import { atMost, type BenchmarkSuite, type BenchRow } from './benchmark.js';

const SUITE = 'posture';
const END = '2026-03-10T12:00:00.000Z';
const SHARE = 0.5;

/**
 * A configuration snapshot of a large org (issue 15: 10,000 users, 500 groups, 300 apps, 200 policy
 * rules, 50 zones) through the simulator, with the System Log backfill running beside it, both at a
 * 50% rate share. The simulator and Vigil share a manual clock: waiting for a bucket's reset moves it
 * at once, so the run reports the wall time it cost here and the time the same requests would take
 * against Okta's per-minute buckets (the clock's advance), the requests, 429s, and the largest share
 * of any bucket the snapshot used.
 */
export const POSTURE_BENCHMARK: BenchmarkSuite = {
  name: SUITE,
  async run({ quick, workDir }) {
    const users = quick ? 1_000 : 10_000;
    const clock = new ManualClock(END);
    const sim = await startSimulator({ seed: 2, users, days: 1, liveTraffic: false, clock });
    const used = new Map<string, number>();
    const http: HttpGet = async (url, init) => {
      const response = await undiciGet(url, init);
      const limit = Number(response.headers.get('x-rate-limit-limit'));
      const remaining = Number(response.headers.get('x-rate-limit-remaining'));
      if (limit > 0 && Number.isFinite(remaining)) {
        const bucket = bucketOf(new URL(url).pathname);
        used.set(bucket, Math.max(used.get(bucket) ?? 0, (limit - remaining) / limit));
      }
      return response;
    };
    const store = await openSqliteStore({ dataDir: workDir, access: 'write' });
    try {
      const custody = new CustodyStore(store, clock, fileSignerProvider(workDir));
      const reader = new OktaConfigReader({
        name: 'okta',
        url: sim.baseUrl,
        token: sim.token,
        http,
        clock,
        rateShare: SHARE,
        requestTimeoutMs: 30_000,
        maxWaitMs: 120_000,
      });
      const collector = new LogCollector({
        source: new OktaLogSource({
          name: 'okta',
          url: sim.baseUrl,
          token: sim.token,
          clock,
          rateShare: SHARE,
          requestTimeoutMs: 30_000,
          pageLimit: 1000,
        }),
        store: custody,
        clock,
        random: createRandom(2),
        sinceMs: Date.parse(END) - 2 * 86_400_000,
      });
      const posture = new PostureService({ custody, clock });
      const startedAt = clock.now();
      const wall = performance.now();
      const [taken, collected] = await Promise.all([
        posture.snapshot('okta', reader),
        collector.collectUntilCaughtUp(),
      ]);
      const wallMs = performance.now() - wall;
      const simulatedMinutes = (clock.now() - startedAt) / 60_000;
      const share = Math.max(...used.values());
      const size = sim.configProfile.size;
      const org = `${users} users, ${size.groups} groups, ${size.apps} apps, ${size.policyRules} rules, ${size.zones} zones; ${Object.keys(taken.snapshot.objects).length} objects`;
      const rows: BenchRow[] = [
        {
          suite: SUITE,
          name: 'snapshot + log backfill, wall time here',
          value: Math.round(wallMs),
          unit: 'ms',
          note: org,
        },
        {
          suite: SUITE,
          name: 'the same against Okta buckets at 50% share',
          value: Number(simulatedMinutes.toFixed(2)),
          unit: 'min',
          ...atMost(simulatedMinutes, 15),
          note: `rate-limit waits ${Math.round(taken.waitedMs / 1000)} s; log backfill ${collected.stored} events beside it`,
        },
        { suite: SUITE, name: 'snapshot API requests', value: taken.requests, unit: 'requests' },
        {
          suite: SUITE,
          name: 'snapshot 429s',
          value: taken.throttled,
          unit: '429s',
          ...atMost(taken.throttled, 0),
        },
        {
          suite: SUITE,
          name: 'largest share of one bucket used',
          value: Number(share.toFixed(3)),
          unit: 'ratio',
          ...atMost(share, SHARE + 0.01),
          note: [...used.entries()].map(([b, v]) => `${b} ${v.toFixed(2)}`).join(', '),
        },
        {
          suite: SUITE,
          name: 'snapshot stored (canonical JSON)',
          value: Math.round(Buffer.byteLength(JSON.stringify(taken.snapshot.objects)) / 1024),
          unit: 'KiB',
        },
      ];
      if (taken.snapshot.incomplete.length > 0)
        rows.push({
          suite: SUITE,
          name: 'families not read',
          value: taken.snapshot.incomplete.length,
          unit: 'families',
          ...atMost(taken.snapshot.incomplete.length, 0),
          note: taken.snapshot.incomplete.map((i) => `${i.family}: ${i.reason}`).join('; '),
        });
      return rows;
    } finally {
      await store.close();
      await sim.close();
    }
  },
};
