import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AlertStore } from '../alerts/alert-store.js';
import { ManualClock } from '../core/clock.js';
import { CustodyStore } from '../custody/custody-store.js';
import { preparePage } from '../custody/prepared-page.js';
import { SEVERITIES } from '../detect/severity.js';
import { fileSignerProvider } from '../keys/key-providers.js';
import { Runtime } from '../runtime/runtime.js';
import { buildConsoleApp } from '../server/app.js';
import { consoleSealKey } from '../server/auth/auth-plugin.js';
import { ConsoleAuth } from '../server/auth/console-auth.js';
import { generateOrgHistory } from '../sim/org-history.js';
import { OKTA_PAGE_FORMAT } from '../sources/okta/okta-page-format.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite.js';
import { atMost, type BenchmarkSuite, type BenchRow } from './benchmark.js';

const END = '2026-03-10T12:00:00.000Z';
const DAY_MS = 86_400_000;

/**
 * The console's latency on a large store (issue 18 "Benchmark"): the alerts list, an event search by
 * actor and by IP address, and one event with its inclusion proof, each through the whole HTTP stack
 * (fastify inject: routing, the auth layer's API-token check, tokenisation, serialisation), p95 of
 * repeated requests. The store: the simulator's org history, one seed per day, stored a page of 1000
 * at a time as the collector stores it (1,000,000 events; 100,000 with --quick), and 2,000 alerts.
 */
export const CONSOLE_BENCHMARK: BenchmarkSuite = {
  name: 'console',
  async run({ quick, workDir }) {
    const clock = new ManualClock(END);
    const dataDir = path.join(workDir, 'data');
    const target = quick ? 100_000 : 1_000_000;
    const built = await buildStore(dataDir, target, clock);
    const runtime = await Runtime.open({ dataDir, access: 'write', env: {}, clock });
    try {
      await seedAlerts(runtime.alertStore(), built.sample, quick ? 500 : 2000);
      const app = await buildConsoleApp({ runtime, origin: 'http://127.0.0.1:8443', secure: false });
      await app.ready();
      const auth = new ConsoleAuth({
        store: runtime.store,
        clock,
        audit: runtime.auditLog(),
        origin: 'http://127.0.0.1:8443',
        secure: false,
        rpName: 'Vigil',
        sealKey: consoleSealKey(runtime),
      });
      const user = await auth.accounts.add('bench', 'admin');
      const { token } = await auth.tokens.create(user, 'viewer', 'bench');
      const headers = { authorization: `Bearer ${token}` };
      const probe = built.sample;
      const requests: [string, (i: number) => string][] = [
        ['alerts list (200 newest of all)', () => '/api/v1/alerts'],
        [
          'event search by actor (login), 100 newest',
          (i) => `/api/v1/events?actor=${encodeURIComponent(probe[i % probe.length]!.login)}`,
        ],
        [
          'event search by IP, 100 newest',
          (i) => `/api/v1/events?ip=${encodeURIComponent(probe[i % probe.length]!.ip)}`,
        ],
        ['one event with its inclusion proof', (i) => `/api/v1/events/okta/${probe[i % probe.length]!.id}`],
        ['alerts page (HTML)', () => '/alerts'],
      ];
      const rows: BenchRow[] = [];
      const times = quick ? 20 : 60;
      for (const [name, url] of requests) {
        for (let i = 0; i < 3; i++) await app.inject({ url: url(i), headers });
        const took: number[] = [];
        for (let i = 0; i < times; i++) {
          const t = performance.now();
          const r = await app.inject({ url: url(i), headers });
          took.push(performance.now() - t);
          if (r.statusCode !== 200) throw new Error(`${url(i)}: ${r.statusCode} ${r.body.slice(0, 200)}`);
        }
        took.sort((a, b) => a - b);
        const p95 = took[Math.min(took.length - 1, Math.ceil(took.length * 0.95) - 1)]!;
        rows.push({
          suite: 'console',
          name,
          value: Math.round(p95 * 10) / 10,
          unit: 'ms (p95)',
          ...atMost(p95, 100),
          note: `${built.events} events, ${times} requests, median ${Math.round(took[Math.floor(took.length / 2)]! * 10) / 10} ms`,
        });
      }
      await app.close();
      return rows;
    } finally {
      await runtime.close();
    }
  },
};

interface Probe {
  readonly id: string;
  readonly login: string;
  readonly ip: string;
}

/** About `target` events of the simulator's org, a day at a time (one seed per day keeps memory flat). */
async function buildStore(
  dataDir: string,
  target: number,
  clock: ManualClock,
): Promise<{ events: number; sample: Probe[] }> {
  mkdirSync(path.join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  const store = await openSqliteStore({ dataDir, access: 'write', bulk: true, backgroundCheckpoints: true });
  const users = 3000;
  let events = 0;
  const sample: Probe[] = [];
  try {
    const custody = new CustodyStore(store, clock, fileSignerProvider(path.join(dataDir, 'keys')));
    let highWaterMs = 0;
    for (let day = 0; events < target; day++) {
      const lines = generateOrgHistory({
        seed: 1000 + day,
        users,
        days: 1,
        endMs: Date.parse(END) - day * DAY_MS,
      })
        .slice(0, target - events)
        .map((e) => JSON.stringify(e));
      for (let i = 0; i < lines.length; i += 1000) {
        const page = preparePage(OKTA_PAGE_FORMAT, 'okta', '[' + lines.slice(i, i + 1000).join(',') + ']');
        for (const e of page) highWaterMs = Math.max(highWaterMs, e.publishedMs);
        await custody.ingest('okta', page, { nextUrl: `bench:${day}:${i}`, highWaterMs });
      }
      // A few real events to ask about: their id, actor login and client IP.
      for (const line of lines.filter((_, i) => i % 5000 === 17)) {
        const e = JSON.parse(line) as {
          uuid: string;
          actor?: { alternateId?: string };
          client?: { ipAddress?: string };
        };
        if (e.actor?.alternateId?.includes('@') && e.client?.ipAddress)
          sample.push({ id: e.uuid, login: e.actor.alternateId, ip: e.client.ipAddress });
      }
      events += lines.length;
    }
    await custody.checkpointIfDue('okta', { endOfRun: true });
  } finally {
    await store.close();
  }
  return { events, sample };
}

/** Alerts about the sampled people, spread over severities and statuses, each naming real events. */
async function seedAlerts(alerts: AlertStore, sample: readonly Probe[], count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const who = sample[i % sample.length]!;
    const severity = SEVERITIES[i % SEVERITIES.length]!;
    await alerts.record({
      ruleId: `bench-rule-${i % 40}`,
      title: `Bench rule ${i % 40} about ${who.login}`,
      severity,
      entity: { type: 'user', id: `00u${i}`, display: who.login },
      description: `Something ${who.login} did from ${who.ip}`,
      eventIds: [who.id],
      timeMs: Date.parse(END) - i * 3_600_000,
      dedupKey: `bench-${i}`,
      source: 'okta',
    });
  }
}
