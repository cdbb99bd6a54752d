import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/vigil-error.js';
import type { CustodyStore } from '../custody/custody-store.js';
import { searchEvents } from '../custody/event-search.js';
import { recordReads, type LedgerRecord } from '../custody/record-reads.js';
import type { Detection } from '../detect/detection.js';
import type { ConfigReader } from '../sources/config-reader.js';
import { evaluateBaseline } from './baseline/evaluate-baseline.js';
import { DEFAULT_BASELINE, type Baseline } from './baseline/baseline-file.js';
import { SnapshotView } from './baseline/snapshot-view.js';
import {
  CHANGE_EVENT_PREFIXES,
  explainChanges,
  loggedChangeOf,
  type ExplainedChange,
  type LoggedChange,
} from './change-explanation.js';
import { parseSnapshot, snapshotBody, snapshotId, type ConfigSnapshot } from './config-snapshot.js';
import type { PostureErrorCode } from './errors.js';
import type { PostureFinding } from './posture-finding.js';
import { familyOf } from './resource-families.js';
import { diffSnapshots } from './snapshot-diff.js';

/** A stored snapshot with where it sits in its log (for its inclusion proof). */
export interface StoredSnapshot {
  readonly id: string;
  readonly leafIndex: number;
  readonly snapshot: ConfigSnapshot;
}

export interface SnapshotTaken extends StoredSnapshot {
  /** False when the configuration is byte for byte the last snapshot's: nothing new was ledgered. */
  readonly appended: boolean;
  readonly treeSize: number;
  readonly requests: number;
  readonly throttled: number;
  readonly waitedMs: number;
}

export interface PostureReport {
  readonly snapshot: SnapshotSummary;
  readonly previous: SnapshotSummary | null;
  readonly findings: PostureFinding[];
  /**
   * When the source's System Log was last read: a change is judged unexplained only once the log
   * was read after the snapshot (plus the provider's lag); before that it is a warning.
   */
  readonly logReadAt: string | null;
}

export interface SnapshotSummary {
  readonly id: string;
  readonly source: string;
  readonly takenAt: string;
  readonly leafIndex: number;
  readonly objects: number;
  readonly incomplete: readonly { readonly family: string; readonly reason: string }[];
}

export interface PostureDeps {
  readonly custody: CustodyStore;
  readonly clock: Clock;
  /** Where shadow changes become alerts (the runtime's alert intake); none: findings only. */
  readonly alert?: (detection: Detection) => Promise<unknown>;
}

const SHADOW_RULE = 'vigil-posture-shadow-change';

/** Okta may publish an event this long after the change it records (vigil.yaml `posture.logLagSeconds`). */
export const DEFAULT_LOG_LAG_MS = 60_000;

/**
 * The posture pillar (docs/design.md "Posture"): snapshots of the provider's configuration stored
 * and ledgered as records of `<source>/config-snapshots`, their history and differences, and a
 * review of the latest one: the baseline, the allow-lists, and every change since the one before,
 * explained by the System Log events that record it or reported as a shadow change.
 */
export class PostureService {
  constructor(private readonly deps: PostureDeps) {}

  get #db() {
    return this.deps.custody.db;
  }

  /**
   * Reads the whole configuration and ledgers it as one record: the snapshot is stored with its
   * leaf and a signed checkpoint in one transaction, or not at all. The record id is the time and the
   * digest, so reading an unchanged configuration again still leaves a new, provable record.
   */
  async snapshot(source: string, reader: ConfigReader, signal?: AbortSignal): Promise<SnapshotTaken> {
    const startedAt = new Date(this.deps.clock.now()).toISOString();
    const reading = await reader.read(signal);
    const snapshot: ConfigSnapshot = {
      v: 1,
      source,
      takenAt: new Date(this.deps.clock.now()).toISOString(),
      startedAt,
      objects: reading.objects,
      incomplete: reading.incomplete,
    };
    const body = snapshotBody(snapshot);
    const id = snapshotId(snapshot, body);
    const result = await this.deps.custody.appendRecords(source, 'config-snapshots', [
      { id, time: snapshot.takenAt, body },
    ]);
    const leafIndex = await recordReads(this.#db).leafOfRecord(`${source}/config-snapshots`, id);
    return {
      id,
      leafIndex,
      snapshot,
      appended: result.appended === 1,
      treeSize: result.treeSize,
      requests: reading.requests,
      throttled: reading.throttled,
      waitedMs: reading.waitedMs,
    };
  }

  /** The newest snapshot's id and time, read without its body (the schedule asks every round). */
  async newest(source: string): Promise<{ id: string; takenAt: string } | undefined> {
    const record = await recordReads(this.#db).latest(source, 'config-snapshots');
    return record && { id: record.id, takenAt: record.time };
  }

  /** Every snapshot of the source, oldest first, as summaries. */
  async history(source: string): Promise<SnapshotSummary[]> {
    const out: SnapshotSummary[] = [];
    for (let after = -1; ;) {
      const page = await recordReads(this.#db).list(source, 'config-snapshots', { after, limit: 200 });
      for (const record of page) out.push(summary(this.#parse(record), record));
      if (page.length < 200) return out;
      after = page.at(-1)!.leafIndex;
    }
  }

  /**
   * A stored snapshot: by id, `latest`, or `latest~N` (N before the latest). Throws
   * POSTURE_NO_SNAPSHOT naming what was asked.
   */
  async load(source: string, which = 'latest'): Promise<StoredSnapshot> {
    const reads = recordReads(this.#db);
    const log = `${source}/config-snapshots`;
    const back = /^latest(?:~(\d{1,6}))?$/.exec(which);
    let record: LedgerRecord | undefined;
    if (back) {
      const latest = await reads.latest(source, 'config-snapshots');
      const steps = Number(back[1] ?? 0);
      if (latest && steps > 0)
        record = (
          await reads.list(source, 'config-snapshots', { after: latest.leafIndex - steps - 1, limit: 1 })
        )[0];
      else record = latest;
      if (record && latest && record.leafIndex !== latest.leafIndex - steps) record = undefined;
    } else {
      const index = await reads.leafOfRecord(log, which).catch(() => undefined);
      if (index !== undefined)
        record = (await reads.list(source, 'config-snapshots', { after: index - 1, limit: 1 }))[0];
    }
    if (!record)
      throw new VigilError<PostureErrorCode>(
        'POSTURE_NO_SNAPSHOT',
        `no configuration snapshot ${which} of source ${source}${which === 'latest' ? ': run vigil posture snapshot' : ''}`,
        { category: 'input', details: { source, which } },
      );
    return { id: record.id, leafIndex: record.leafIndex, snapshot: this.#parse(record) };
  }

  /** What changed between two stored snapshots, each change explained by the log where it can be. */
  async diff(source: string, from: StoredSnapshot, to: StoredSnapshot): Promise<ExplainedChange[]> {
    const changes = diffSnapshots(from.snapshot, to.snapshot);
    if (changes.length === 0) return [];
    return explainChanges(changes, await this.#changeEvents(source, from.snapshot, to.snapshot));
  }

  /**
   * The review of the latest snapshot: the baseline and allow-lists, and every change since the one
   * before, as drift (explained, with the events) or as a shadow change (no event records it). A
   * shadow change raises a critical alert once the log is collected past the snapshot; before
   * that it is reported as a warning, since its event may still be on its way.
   */
  async review(
    source: string,
    options: { baseline?: Baseline; raiseAlerts?: boolean; logLagMs?: number } = {},
  ): Promise<PostureReport> {
    const latest = await this.load(source, 'latest');
    const previous = await this.load(source, 'latest~1').catch((error: unknown) => {
      if (error instanceof VigilError && error.code === 'POSTURE_NO_SNAPSHOT') return undefined;
      throw error;
    });
    const findings = await this.#withLastChange(
      source,
      evaluateBaseline(new SnapshotView(latest.snapshot), options.baseline ?? DEFAULT_BASELINE),
    );
    const logReadAt = await this.logReadAt(source);
    if (previous) {
      const complete = this.logCovers(logReadAt, latest.snapshot, options.logLagMs);
      for (const change of await this.diff(source, previous, latest)) {
        const finding = changeFinding(change, complete, latest, previous);
        findings.push(finding);
        if (finding.kind === 'shadow-change' && complete && options.raiseAlerts !== false && this.deps.alert)
          await this.deps.alert(shadowDetection(source, finding, latest, previous));
      }
    }
    return {
      snapshot: summary(latest.snapshot, latest),
      previous: previous ? summary(previous.snapshot, previous) : null,
      findings,
      logReadAt: logReadAt === null ? null : new Date(logReadAt).toISOString(),
    };
  }

  /** When the source's System Log was last read (the cursor's last write); null when never. */
  async logReadAt(source: string): Promise<number | null> {
    const cursor = await this.deps.custody.cursor(source);
    return cursor ? Number(cursor.updated_at_ms) : null;
  }

  /**
   * Whether the log read at `readAt` must hold every event of a change in `snapshot`: a change is in
   * the snapshot only once made, and the provider publishes its event at most `lagMs` later.
   */
  logCovers(readAt: number | null, snapshot: ConfigSnapshot, lagMs = DEFAULT_LOG_LAG_MS): boolean {
    return readAt !== null && readAt - lagMs >= Date.parse(snapshot.takenAt);
  }

  /**
   * A failing baseline finding about one object names the last System Log event that changed that
   * object, whenever it was (who made it so, and from where): `explainedBy` and the detail.
   */
  async #withLastChange(source: string, findings: PostureFinding[]): Promise<PostureFinding[]> {
    const out: PostureFinding[] = [];
    for (const finding of findings) {
      const found =
        finding.status === 'pass' || finding.status === 'not-applicable'
          ? undefined
          : familyOf(finding.resource);
      const id = found?.ids[0];
      if (!found || id === undefined || found.family.singleton) {
        out.push(finding);
        continue;
      }
      let last: LoggedChange | undefined;
      for (const prefix of found.family.eventTypes) {
        const [event] = await searchEvents(this.#db, { source, type: `${prefix}*`, target: id, limit: 1 });
        const change = event && loggedChangeOf(event.raw, Date.parse(event.published));
        if (change && change.targetIds.includes(id) && (!last || change.publishedMs > last.publishedMs))
          last = change;
      }
      out.push(
        last
          ? {
              ...finding,
              explainedBy: [last.uuid],
              detail: `${finding.detail} (last changed by ${last.actor ?? 'unknown'}${last.clientIp ? ` from ${last.clientIp}` : ''} at ${new Date(last.publishedMs).toISOString()}: ${last.eventType})`,
            }
          : finding,
      );
    }
    return out;
  }

  /** The window's configuration-change events: from the earlier reading's start to the later one's end. */
  async #changeEvents(source: string, from: ConfigSnapshot, to: ConfigSnapshot) {
    const fromMs = Date.parse(from.startedAt);
    const toMs = Date.parse(to.takenAt) + 1;
    const found: LoggedChange[] = [];
    for (const prefix of CHANGE_EVENT_PREFIXES) {
      const events = await searchEvents(this.#db, {
        source,
        fromMs,
        toMs,
        type: `${prefix}*`,
        limit: 10_000,
      });
      for (const e of events) {
        const change = loggedChangeOf(e.raw, Date.parse(e.published));
        if (change && !found.some((f) => f.uuid === change.uuid)) found.push(change);
      }
    }
    return found;
  }

  #parse(record: LedgerRecord): ConfigSnapshot {
    return parseSnapshot(record.body, record.id);
  }
}

function summary(snapshot: ConfigSnapshot, at: { id: string; leafIndex: number }): SnapshotSummary {
  return {
    id: at.id,
    source: snapshot.source,
    takenAt: snapshot.takenAt,
    leafIndex: at.leafIndex,
    objects: Object.keys(snapshot.objects).length,
    incomplete: snapshot.incomplete,
  };
}

function changeFinding(
  change: ExplainedChange,
  logComplete: boolean,
  latest: StoredSnapshot,
  previous: StoredSnapshot,
): PostureFinding {
  const where = `${change.resource}${change.field ? ` ${change.field}` : ''}`;
  const what =
    change.change === 'added'
      ? 'appeared'
      : change.change === 'removed'
        ? 'disappeared'
        : `changed from ${brief(change.before)} to ${brief(change.after)}`;
  const base = {
    check: null,
    requirement: null,
    references: [],
    resource: change.resource,
    field: change.field,
    before: change.before,
    after: change.after,
  };
  if (change.explainedBy.length > 0) {
    const by = change.explainedBy.map(
      (e) => `${e.eventType} by ${e.actor ?? 'unknown'}${e.clientIp ? ` from ${e.clientIp}` : ''}`,
    );
    return {
      ...base,
      kind: 'drift',
      title: 'Configuration change recorded in the System Log',
      status: 'pass',
      explainedBy: change.explainedBy.map((e) => e.uuid),
      detail: `${where} ${what}: ${by.join('; ')}`,
      fix: null,
    };
  }
  const proofs = `snapshots ${previous.id} (leaf ${previous.leafIndex}) and ${latest.id} (leaf ${latest.leafIndex})`;
  return {
    ...base,
    kind: 'shadow-change',
    title: 'Configuration change that no System Log event records',
    status: logComplete ? 'fail' : 'warn',
    explainedBy: [],
    detail: logComplete
      ? `${where} ${what} between ${proofs}, and no System Log event records it: a change below the application`
      : `${where} ${what} between ${proofs}; the System Log has not been read since the later snapshot, so its event may still come: run again after the next collection`,
    fix: 'Treat as an incident: find who could change the provider below its API, revert the change through the API, and keep both snapshots (vigil ledger prove --record).',
  };
}

function shadowDetection(
  source: string,
  finding: PostureFinding,
  latest: StoredSnapshot,
  previous: StoredSnapshot,
): Detection {
  return {
    ruleId: SHADOW_RULE,
    title: `Shadow change: ${finding.resource}${finding.field ? ` ${finding.field}` : ''}`,
    severity: 'critical',
    entity: { type: 'config-object', id: finding.resource },
    description: finding.detail,
    eventIds: [],
    timeMs: Date.parse(latest.snapshot.takenAt),
    dedupKey: `${SHADOW_RULE}:${source}:${finding.resource}:${finding.field ?? ''}:${previous.id}:${latest.id}`,
    source,
  };
}

function brief(value: unknown): string {
  const text = JSON.stringify(value ?? null);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
