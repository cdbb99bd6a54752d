import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the store says at scrape time: per log and per source, read fresh for each `/metrics`. */
export interface StoreGauges {
  /** Per events log: the newest stored event's published time (ms), or null with none. */
  readonly newestEventMs: ReadonlyMap<string, number | null>;
  /** Per ledger log: the latest signed checkpoint's tree size. */
  readonly treeSize: ReadonlyMap<string, number>;
  /** Alerts by status and severity. */
  readonly alerts: readonly { status: string; severity: string; count: number }[];
}

/**
 * The console's Prometheus metrics (issue 18: events collected per source, collection lag, rate-limit
 * waits, checkpoints signed, verify results, alerts raised and delivered, delivery failures, request
 * latency). One registry per console, never prom-client's global one: two consoles in one process
 * (tests) must not share counters. Counters count what this process did; gauges read the store at
 * scrape time, so a console without `--collect` still shows the lag of the collector beside it.
 */
export class ConsoleMetrics {
  readonly registry = new Registry();
  readonly eventsCollected: Counter<'source'>;
  readonly rateLimitWaits: Counter<'source'>;
  readonly rateLimitWaitSeconds: Counter<'source'>;
  readonly checkpointsSigned: Counter<'log'>;
  readonly collectionRounds: Counter<'source' | 'result'>;
  readonly verifyRuns: Counter<'result'>;
  readonly alertsRaised: Counter;
  readonly alertsDelivered: Counter;
  readonly deliveryFailures: Counter;
  readonly requestSeconds: Histogram<'method' | 'route' | 'status'>;
  #read: (() => Promise<StoreGauges>) | undefined;

  constructor(private readonly now: () => number) {
    const registers = [this.registry];
    this.eventsCollected = new Counter({
      name: 'vigil_events_collected_total',
      help: 'Events stored by collection in this process, per source',
      labelNames: ['source'],
      registers,
    });
    this.rateLimitWaits = new Counter({
      name: 'vigil_rate_limit_waits_total',
      help: "Waits for the provider's rate limit (or a retry) during collection, per source",
      labelNames: ['source'],
      registers,
    });
    this.rateLimitWaitSeconds = new Counter({
      name: 'vigil_rate_limit_wait_seconds_total',
      help: 'Seconds spent waiting for the rate limit during collection, per source',
      labelNames: ['source'],
      registers,
    });
    this.checkpointsSigned = new Counter({
      name: 'vigil_checkpoints_signed_total',
      help: 'Collection rounds that grew a log and signed a checkpoint over it, per log',
      labelNames: ['log'],
      registers,
    });
    this.collectionRounds = new Counter({
      name: 'vigil_collection_rounds_total',
      help: 'Collection rounds per source, by result (ok or failed)',
      labelNames: ['source', 'result'],
      registers,
    });
    this.verifyRuns = new Counter({
      name: 'vigil_verify_runs_total',
      help: 'Verifications run from the console, by result (pass or fail)',
      labelNames: ['result'],
      registers,
    });
    this.alertsRaised = new Counter({
      name: 'vigil_alerts_raised_total',
      help: 'New alerts raised by detection in this process',
      registers,
    });
    this.alertsDelivered = new Counter({
      name: 'vigil_alerts_delivered_total',
      help: 'Alert deliveries that reached their sink',
      registers,
    });
    this.deliveryFailures = new Counter({
      name: 'vigil_alert_delivery_failures_total',
      help: 'Alert delivery attempts that failed (retried or expired)',
      registers,
    });
    this.requestSeconds = new Histogram({
      name: 'vigil_http_request_duration_seconds',
      help: 'Console request latency by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    const gauges = () => this.#gauges();
    const clockNow = () => this.now();
    new Gauge({
      name: 'vigil_collection_lag_seconds',
      help: "Seconds between now and the newest stored event's published time, per source",
      labelNames: ['source'],
      registers,
      async collect() {
        const store = await gauges();
        this.reset();
        for (const [source, newest] of store?.newestEventMs ?? [])
          if (newest !== null) this.set({ source }, Math.max(0, (clockNow() - newest) / 1000));
      },
    });
    new Gauge({
      name: 'vigil_ledger_tree_size',
      help: "The latest signed checkpoint's tree size, per ledger log",
      labelNames: ['log'],
      registers,
      async collect() {
        const store = await gauges();
        this.reset();
        for (const [log, size] of store?.treeSize ?? []) this.set({ log }, size);
      },
    });
    new Gauge({
      name: 'vigil_alerts',
      help: 'Stored alerts by status and severity',
      labelNames: ['status', 'severity'],
      registers,
      async collect() {
        const store = await gauges();
        this.reset();
        for (const a of store?.alerts ?? []) this.set({ status: a.status, severity: a.severity }, a.count);
      },
    });
  }

  /** Where the scrape-time gauges come from (the store); set once by the app. */
  readStoreWith(read: () => Promise<StoreGauges>): void {
    this.#read = read;
  }

  // One store read per scrape, shared by the three gauges (set by `exposition`).
  #pending: Promise<StoreGauges | undefined> = Promise.resolve(undefined);
  #gauges(): Promise<StoreGauges | undefined> {
    return this.#pending;
  }

  /** The Prometheus text exposition. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    this.#pending = this.#read ? this.#read() : Promise.resolve(undefined);
    const body = await this.registry.metrics();
    return { contentType: this.registry.contentType, body };
  }
}
