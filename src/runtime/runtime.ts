import path from 'node:path';
import type { Clock } from '../core/clock.js';
import { isVigilError, VigilError } from '../core/vigil-error.js';
import type { AlertRoute } from '../alerts/alert-router.js';
import type { AlertDispatcher, DeliveryNotice } from '../alerts/alert-dispatcher.js';
import type { AlertRunSummary } from '../alerts/alert-run-summary.js';
import { alertDetail, type AlertDetail } from '../alerts/alert-detail.js';
import { AlertLedger } from '../alerts/alert-ledger.js';
import { AlertOutbox } from '../alerts/alert-outbox.js';
import { AlertStore } from '../alerts/alert-store.js';
import { deliveryPolicyOf } from '../alerts/alerts-config.js';
import { loadConfig, resolveToken, type SourceConfig, type VigilConfig } from '../config/vigil-config.js';
import { unavailableSource } from './unavailable-source.js';
import { CustodyStore } from '../custody/custody-store.js';
import { createPagePreparer, type PagePreparer } from '../custody/page-preparer.js';
import { sqlCustodyReader } from '../custody/sql-custody-reader.js';
import { ledgerStoredMarks, storedDetectionLog } from '../custody/stored-detection-log.js';
import type { Detection } from '../detect/detection.js';
import { DetectionFeed } from '../detect/pipeline/detection-feed.js';
import { DetectionPipeline } from '../detect/pipeline/detection-pipeline.js';
import { checkKeyDirectory, resolveKeyDirectory, type KeyDirectory } from '../keys/key-directory.js';
import {
  fileSignerProvider,
  readOnlyVerifierKeys,
  type SignerProvider,
  type VerifierKeyProvider,
} from '../keys/key-providers.js';
import type { NoteVerifier } from '../ledger/note-key.js';
import type { LogSource } from '../sources/log-source.js';
import type { ConfigReader } from '../sources/config-reader.js';
import { OktaConfigReader } from '../sources/okta/okta-config-reader.js';
import type { OktaConnection } from '../sources/okta/okta-connection.js';
import { OktaLogSource } from '../sources/okta/okta-log-source.js';
import { acquireCollectorLock, type CollectorLock } from '../store/sqlite/collector-lock.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite.js';
import type { Store, StoreAccess } from '../store/store.js';
import type { CustodyReader } from '../verify/custody-reader.js';
import { CheckpointPublisher } from '../witness/checkpoint-publisher.js';
import { configuredWitness } from '../witness/witness-config.js';
import type { HttpFetch } from '../witness/witness-client.js';
import { buildAlertRoutes, openAlertDelivery, sinkRuntime } from './alert-delivery.js';
import { CheckpointPublication } from './checkpoint-publication.js';
import { isCanaryTraffic } from '../config/canary-config.js';
import { AuditLog } from '../audit/audit-log.js';
import { loadPiiKey } from '../keys/pii-token-key.js';
import { PiiTokenizer } from '../privacy/pii-tokenizer.js';

/** What a command hands the runtime from outside: environment, clock, network. */
export interface RuntimeEnvironment {
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  /** For calls outside the provider port (witnesses); default: the global fetch. */
  readonly fetch?: HttpFetch;
}

export interface RuntimeOptions extends RuntimeEnvironment {
  readonly dataDir: string;
  /** `write`: collection (creates the store and keys as needed); `read`: never creates anything. */
  readonly access: StoreAccess;
  /** A bulk writer (collect, demo): a small page cache, no memory-mapped reads. */
  readonly bulk?: boolean;
  /**
   * A local bulk replay (demo, drills): pages prepared and the WAL checkpointed on threads of their
   * own, for throughput. A collector goes without: its provider's rate limit bounds it, and each
   * thread costs a heap (issue 20).
   */
  readonly helperThreads?: boolean;
  /** Worker threads for verify's range checks. */
  readonly verifyWorkers?: number;
  /** Config to use instead of the data directory's vigil.yaml (the demo's). */
  readonly config?: VigilConfig;
  /**
   * The runtime collects (collect, demo): at least one source, every token and every sink secret
   * must be there, and they are checked before the store is opened, so a start-up error leaves
   * nothing behind.
   */
  readonly collect?: boolean;
}

/** What a collecting runtime resolved at start-up. */
interface Collection {
  readonly sources: LogSource[];
  readonly routes: AlertRoute[];
  /** The pack and `detection.rulesDirs`, loaded and checked at start-up. */
  readonly pipeline: () => DetectionPipeline;
}

export interface DetectionService {
  readonly feed: DetectionFeed;
  /** Raises a finding that comes from custody rather than the rules (a rewritten event) through the same intake. */
  readonly raise: (detection: Detection, source: string) => Promise<void>;
  /** Alerts raised so far that were new (not deduplicated into an open one). */
  readonly raised: () => number;
  /** New alerts not pushed: about events older than the hold-back age (a first backfill). */
  readonly heldBack: () => number;
  /** The alert outbox's worker: sends what is due, retries with backoff, expires. */
  readonly delivery: AlertDispatcher;
  /** This run's alerts: raised, held back, delivered, failed, expired, and what still waits. */
  readonly summary: () => Promise<AlertRunSummary>;
}

/**
 * The composition root: everything a command needs, opened as one disposable unit and closed on
 * every path (`withRuntime`). Commands parse their flags, ask the runtime, and format; they never
 * open a store, a key or a sink themselves. Parts are opened on first use and closed in reverse.
 */
export class Runtime {
  readonly #closers: (() => Promise<void> | void)[] = [];
  readonly #collection: Collection | undefined;
  #custody: CustodyStore | undefined;
  #preparer: PagePreparer | undefined;
  #tokenizer: PiiTokenizer | undefined;
  #audit: AuditLog | undefined;

  private constructor(
    readonly options: RuntimeOptions,
    readonly config: VigilConfig,
    readonly store: Store,
    collection: Collection | undefined,
    lock: CollectorLock | undefined,
  ) {
    this.#collection = collection;
    if (lock) this.#closers.push(() => lock.release());
    this.#closers.push(() => store.close());
  }

  static async open(options: RuntimeOptions): Promise<Runtime> {
    // Config first, then what collection needs from outside: a bad vigil.yaml, a missing token or
    // a missing sink secret or a bad detection rule fails before any store, thread or key exists.
    const config = options.config ?? loadConfig(options.dataDir);
    const collection = options.collect ? await resolveCollection(options, config) : undefined;
    // A key directory others may write fails start-up too (the key is only read at the first checkpoint).
    const { dataDir, env } = options;
    if (options.collect)
      checkKeyDirectory(resolveKeyDirectory({ dataDir, env, configured: config.keys.dir }));
    // One collector per store, held until close (a second is refused; the OS frees it on death).
    const lock = options.collect ? acquireCollectorLock(options.dataDir) : undefined;
    let store: Store;
    try {
      store = await openSqliteStore({
        dataDir: options.dataDir,
        access: options.access,
        ...(options.bulk ? { bulk: true } : {}),
        ...(options.helperThreads ? { backgroundCheckpoints: true } : {}),
        ...(options.verifyWorkers === undefined ? {} : { verifyWorkers: options.verifyWorkers }),
      });
    } catch (error) {
      lock?.release();
      throw error;
    }
    const runtime = new Runtime(options, config, store, collection, lock);
    if (options.access === 'write') {
      try {
        await runtime.#ledgerStoredState();
      } catch (error) {
        await runtime.close().catch(() => undefined);
        throw error;
      }
    }
    return runtime;
  }

  /**
   * Alerts, transitions and detection marks a store holds from before they were ledgered (issue
   * 19) are ledgered as they stand, so verify holds every later change to them. Idempotent: on a
   * store already ledgered it is two reads.
   */
  async #ledgerStoredState(): Promise<void> {
    const ledger = this.#alertLedger();
    if (!ledger) return;
    await ledger.ledgerStored(this.store.db);
    await ledgerStoredMarks(this.store.db, this.custody(), this.options.clock);
  }

  /** A writer's alert ledger: each alert and its changes recorded in `<source>/alerts`. */
  #alertLedger(): AlertLedger | undefined {
    return this.options.access === 'write' ? new AlertLedger(this.custody(), this.options.clock) : undefined;
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  /** The custody store; a writer's signs checkpoints with the data directory's keys (created on first use). */
  custody(): CustodyStore {
    return (this.#custody ??= new CustodyStore(this.store, this.options.clock, this.#signers()));
  }

  #signers(): SignerProvider {
    if (this.options.access === 'write') return fileSignerProvider(this.#keyDirectory());
    return (log) => {
      throw new TypeError(`a read-only runtime cannot sign a checkpoint of ${log}`);
    };
  }

  /** Verifier keys: the given ones, else the data directory's key files, read only. */
  verifierKeys(given: readonly NoteVerifier[] = []): VerifierKeyProvider {
    return readOnlyVerifierKeys(this.#keyDirectory(), given);
  }

  /** `$VIGIL_KEY_DIR`, `keys.dir`, systemd's credentials, or the data directory (key-directory.ts). */
  #keyDirectory(): KeyDirectory {
    const { dataDir, config, options } = this;
    return resolveKeyDirectory({ dataDir, env: options.env, configured: config.keys.dir });
  }

  /**
   * Personal data as tokens (`privacy/pii-tokenizer.ts`), keyed by `pii-token.key` in the key
   * directory: a writer creates the key on first use, a reader that finds none gets KEY_FILE_MISSING.
   */
  piiTokenizer(): PiiTokenizer {
    return (this.#tokenizer ??= new PiiTokenizer(
      loadPiiKey(this.#keyDirectory(), { create: this.options.access === 'write' }),
    ));
  }

  /** Vigil's own audit log (`vigil/audit`); a reader may list it, only a writer record. */
  auditLog(): AuditLog {
    return (this.#audit ??= new AuditLog(this.custody(), this.store.db, this.options.clock));
  }

  custodyReader(): CustodyReader {
    return sqlCustodyReader(this.store, this.custody());
  }

  /** The configured sources behind the provider port (a collecting runtime's, resolved at start-up). */
  logSources(): LogSource[] {
    return this.#collecting().sources;
  }

  /**
   * Configuration readers (posture) of the configured sources, tokens resolved now, sharing
   * `collect.rateShare` of each bucket as collection does; `only` names one source.
   */
  configReaders(only?: string): ConfigReader[] {
    const { collect } = this.config;
    const chosen = this.config.sources.filter((s) => only === undefined || s.name === only);
    if (chosen.length === 0)
      throw new VigilError(
        'CUSTODY_NO_SOURCES',
        only === undefined
          ? `no sources in ${this.dataDir}/vigil.yaml; add one with 'vigil source add okta ...'`
          : `no source named ${only} in ${this.dataDir}/vigil.yaml`,
        { category: 'input' },
      );
    return chosen.flatMap((source) => {
      let token: string;
      try {
        token = resolveToken(source, this.options.env, this.dataDir);
      } catch (error) {
        // While collecting, a source whose secret is missing fails alone, named by its log
        // collection (unavailable-source.ts): its snapshots are skipped, the others' still taken.
        if (this.#collection && isVigilError(error) && error.code === 'CONFIG_SECRET_UNAVAILABLE') return [];
        throw error;
      }
      return [new OktaConfigReader(oktaConnection(source, token, collect, this.options.clock))];
    });
  }

  /**
   * The alert intake alone, for findings that come from outside detection (posture's shadow
   * changes): stored, grouped and queued for the sinks in one transaction; delivered by collect.
   */
  alertIntake(): (detection: Detection) => Promise<unknown> {
    const sinks = sinkRuntime(this.options);
    const routes = this.#collection?.routes ?? buildAlertRoutes(this.config.alerts, sinks);
    const { intake } = openAlertDelivery(
      this.config.alerts,
      this.store.db,
      sinks,
      routes,
      undefined,
      this.#alertLedger(),
    );
    return (detection) => intake.ingest(detection);
  }

  #collecting(): Collection {
    if (!this.#collection) throw new TypeError('open the runtime with `collect: true` to collect');
    return this.#collection;
  }

  /** The network for calls outside the provider port (witnesses): the injected fetch, else the global one. */
  get fetch(): HttpFetch {
    return this.options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /**
   * The "checkpoint published" hook a collecting runtime runs after each committed round: checkpoints
   * to the witnesses in vigil.yaml and to the alert sinks (runtime/checkpoint-publication.ts).
   */
  checkpointPublication(raise: DetectionService['raise']): CheckpointPublication {
    const { clock } = this.options;
    const { routes } = this.#collecting();
    const custody = this.custody();
    const witnesses = this.config.witnesses.map(configuredWitness);
    const publisher = new CheckpointPublisher(this.store.db, witnesses, this.fetch, clock, (log) =>
      custody.hashReader(log),
    );
    return new CheckpointPublication(publisher, routes, raise, clock);
  }

  /** Page preparation: on worker threads with `helperThreads` where they can run (closed with the runtime). */
  preparer(): PagePreparer {
    if (!this.#preparer) {
      const preparer = createPagePreparer(this.options.helperThreads ? {} : { workers: 0 });
      this.#closers.push(() => preparer.close());
      this.#preparer = preparer;
    }
    return this.#preparer;
  }

  /** The alert store alone (list, acknowledge, resolve). */
  alertStore(): AlertStore {
    const ledger = this.#alertLedger();
    return new AlertStore(this.store.db, { clock: this.options.clock, ...(ledger ? { ledger } : {}) });
  }

  /** The alert outbox, to read (`vigil alerts deliveries`). */
  alertOutbox(): AlertOutbox {
    return new AlertOutbox(this.store.db, {
      clock: this.options.clock,
      policy: deliveryPolicyOf(this.config.alerts),
    });
  }

  /** One alert with its triggering events summarised from custody (`vigil alerts show`). */
  alertDetail(id: string): Promise<AlertDetail> {
    return alertDetail(this.alertStore(), this.store.db, id);
  }

  /** Detection with alert delivery to the configured sinks: the one path for collect and demo. */
  async detection(
    observe?: (detection: Detection, source: string) => void,
    notify?: (notice: DeliveryNotice) => void,
  ): Promise<DetectionService> {
    const { clock } = this.options;
    const collection = this.#collecting();
    const { intake, dispatcher } = openAlertDelivery(
      this.config.alerts,
      this.store.db,
      sinkRuntime(this.options),
      collection.routes,
      notify,
      this.#alertLedger(),
    );
    let raised = 0;
    let heldBack = 0;
    const raise = async (d: Detection, source: string) => {
      observe?.(d, source);
      const result = await intake.ingest({ ...d, source });
      if (result.isNew) raised++;
      if (result.heldBack) heldBack++;
    };
    const feed = new DetectionFeed({
      log: storedDetectionLog(
        this.store.db,
        clock,
        this.options.access === 'write' ? this.custody() : undefined,
      ),
      pipeline: collection.pipeline,
      // Canary sign-ins are Vigil's own probes: their ordinary detections never alert (docs/canaries.md).
      onDetection: (d, source) => (isCanaryTraffic(d, this.config) ? Promise.resolve() : raise(d, source)),
    });
    const summary = async (): Promise<AlertRunSummary> => ({
      raised,
      heldBack,
      delivered: dispatcher.totals.delivered,
      failedAttempts: dispatcher.totals.failed,
      expired: dispatcher.totals.expired,
      pending: await dispatcher.pending(),
    });
    return { feed, raise, raised: () => raised, heldBack: () => heldBack, delivery: dispatcher, summary };
  }

  async close(): Promise<void> {
    let first: unknown;
    for (const close of this.#closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        first ??= error;
      }
    }
    if (first !== undefined) throw first;
  }
}

/**
 * Opens a runtime, runs `use`, and closes it whatever happens. A failure of `use` is what the caller
 * sees, even when closing then fails too.
 */
export async function withRuntime<T>(
  options: RuntimeOptions,
  use: (runtime: Runtime) => Promise<T>,
): Promise<T> {
  const runtime = await Runtime.open(options);
  let result: T;
  try {
    result = await use(runtime);
  } catch (error) {
    await runtime.close().catch(() => undefined);
    throw error;
  }
  await runtime.close();
  return result;
}

/** Sources with their tokens and sinks with their secrets, or the start-up error naming what is missing. */
async function resolveCollection(options: RuntimeOptions, config: VigilConfig): Promise<Collection> {
  if (config.sources.length === 0)
    throw new VigilError(
      'CUSTODY_NO_SOURCES',
      `no sources in ${options.dataDir}/vigil.yaml; add one with 'vigil source add okta ...'`,
      { category: 'input' },
    );
  const { collect } = config;
  // A source whose secret is missing fails alone (unavailable-source.ts); only when every source's
  // is missing does start-up fail, naming the first, before anything is created.
  const tokens = config.sources.map((source) => {
    try {
      return resolveToken(source, options.env, options.dataDir);
    } catch (error) {
      if (isVigilError(error) && error.code === 'CONFIG_SECRET_UNAVAILABLE') return error;
      throw error;
    }
  });
  const firstMissing = tokens.find((t) => typeof t !== 'string');
  if (firstMissing !== undefined && tokens.every((t) => typeof t !== 'string')) throw firstMissing;
  const sources = config.sources.map((source, i) => {
    const token = tokens[i]!;
    const built = new OktaLogSource({
      ...oktaConnection(source, typeof token === 'string' ? token : '', collect, options.clock),
      pageLimit: collect.pageLimit,
    });
    return typeof token === 'string' ? built : unavailableSource(built, token);
  });
  const routes = buildAlertRoutes(config.alerts, sinkRuntime(options));
  // detection.rulesDirs resolve against the data directory, as sink secret files do.
  const extraRuleDirs = config.detection.rulesDirs.map((dir) => path.resolve(options.dataDir, dir));
  return { sources, routes, pipeline: await DetectionPipeline.factory({ extraRuleDirs }) };
}

/** One org's connection, bounded by vigil.yaml's `collect` settings: the same for every Okta adapter. */
function oktaConnection(
  source: SourceConfig,
  token: string,
  collect: VigilConfig['collect'],
  clock: Clock,
): OktaConnection {
  return {
    name: source.name,
    url: source.url,
    token,
    clock,
    rateShare: collect.rateShare,
    requestTimeoutMs: collect.requestTimeoutMs,
    bodyLimits: {
      maxBodyBytes: collect.maxBodyBytes,
      maxDecodedBytes: collect.maxDecodedBytes,
      maxCompressionRatio: collect.maxCompressionRatio,
    },
  };
}
