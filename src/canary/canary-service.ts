import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/vigil-error.js';
import { isoTime } from '../core/clock.js';
import type { CanaryUser, CanarySecrets } from '../config/canary-config.js';
import { CANARY_PROBES } from '../config/canary-config.js';
import type { CustodyStore } from '../custody/custody-store.js';
import { searchEvents, type FoundEvent } from '../custody/event-search.js';
import { recordReads } from '../custody/record-reads.js';
import type { Detection } from '../detect/detection.js';
import type { AuthnClient, PasswordLockout } from '../sources/authn-client.js';
import { lockoutOf } from '../sources/okta/okta-authn-client.js';
import {
  canaryRecordEntry,
  parseCanaryRecord,
  type ExpectedEvent,
  type LogCheckRecord,
  type ProbeRecord,
  type ProbeStatus,
} from './canary-record.js';
import { runProbe, unlockIfLocked } from './probes.js';

/** A probe's line of `vigil canary run --json` (docs/canaries.md: a stable contract). */
export interface ProbeReport {
  readonly source: string;
  readonly canary: string;
  readonly probe: string;
  readonly expected: string;
  readonly observed: string;
  readonly status: ProbeStatus;
  readonly logCheck: 'pass' | 'fail' | 'pending';
  readonly recordId: string;
}

/** One source's canaries, ready to probe: the provider and each account with its secrets (in memory). */
export interface CanaryTarget {
  readonly source: string;
  readonly client: AuthnClient;
  readonly users: readonly { readonly user: CanaryUser; readonly secrets: CanarySecrets }[];
  readonly clientIp: string | null;
}

export interface CanaryDeps {
  readonly custody: CustodyStore;
  readonly clock: Clock;
  /** Where failures, missing events and foreign use become alerts; none: reports only. */
  readonly alert?: (detection: Detection) => Promise<unknown>;
}

/**
 * How far the provider's clock and the runner's may disagree: an expected event is looked for this
 * much either side of its probe's window, and a canary event this close to a probe is the probe's.
 */
export const CLOCK_SKEW_MS = 120_000;

/** The event types a canary's sign-in writes with the canary as actor: any of them not ours is foreign. */
const SIGN_IN_TYPES =
  /^(?:user\.session\.|user\.authentication\.|policy\.evaluate_sign_on$|user\.account\.lock$)/;

export const PROBE_FAILED_RULE = 'vigil-canary-probe-failed';
export const LOG_MISSING_RULE = 'vigil-canary-log-missing';
export const FOREIGN_USE_RULE = 'vigil-canary-foreign-use';

/**
 * The canary pillar (docs/canaries.md): real sign-ins with dedicated accounts that prove the
 * provider enforces its policies, each result ledgered as a record of `<source>/canary-results`;
 * then, once the log has been read past a probe, proof that its events were logged; and any sign-in
 * to a canary that no probe made.
 */
export class CanaryService {
  constructor(private readonly deps: CanaryDeps) {}

  /** Runs every probe of every canary of the target, in order; each result ledgered as it ends. */
  async run(target: CanaryTarget, signal?: AbortSignal): Promise<ProbeReport[]> {
    const reports: ProbeReport[] = [];
    let lockout: Promise<PasswordLockout | undefined> | undefined;
    const maxAttempts = () => (lockout ??= this.#lockout(target));
    for (const { user, secrets } of target.users) {
      // A run stopped between a lockout and its unlock left the canary locked: unlock it first.
      if (user.probes.includes('lockout')) {
        const lockout = await maxAttempts().catch(() => undefined);
        await unlockIfLocked(
          { client: target.client, login: user.login, clock: this.deps.clock, ...(signal ? { signal } : {}) },
          lockout?.autoUnlockMinutes ?? null,
        ).catch((error: unknown) => {
          if (signal?.aborted) throw error;
        });
      }
      for (const probe of CANARY_PROBES.filter((p) => user.probes.includes(p))) {
        const startedAt = isoTime(this.deps.clock.now());
        const result = await runProbe(probe, {
          client: target.client,
          login: user.login,
          password: secrets.password,
          ...(secrets.totpSecret === undefined ? {} : { totpSecret: secrets.totpSecret }),
          clock: this.deps.clock,
          clientIp: target.clientIp,
          maxAttempts,
          ...(signal ? { signal } : {}),
        });
        const record: ProbeRecord = {
          v: 1,
          kind: 'probe',
          source: target.source,
          canary: user.login,
          probe,
          startedAt,
          finishedAt: isoTime(this.deps.clock.now()),
          expected: result.expected,
          observed: result.observed,
          status: result.status,
          events: result.events,
        };
        const entry = canaryRecordEntry(record);
        await this.deps.custody.appendRecords(target.source, 'canary-results', [entry]);
        if (record.status !== 'pass') await this.deps.alert?.(probeFailed(record, entry.id));
        reports.push({
          source: target.source,
          canary: user.login,
          probe,
          expected: record.expected,
          observed: record.observed,
          status: record.status,
          logCheck: 'pending',
          recordId: entry.id,
        });
      }
    }
    return reports;
  }

  /**
   * Judges every probe whose events the log must now hold (the log read at least `logLagMs` after
   * the probe ended): each expected event looked for in custody's stored events; the verdict
   * ledgered beside the probe; a missing event is a critical alert with the probe's record as evidence.
   */
  async checkLogs(source: string, options: { logLagMs: number }): Promise<LogCheckRecord[]> {
    const cursor = await this.deps.custody.cursor(source);
    const readAt = cursor ? Number(cursor.updated_at_ms) : null;
    const { probes, checked } = await this.#records(source);
    const done: LogCheckRecord[] = [];
    for (const [id, probe] of probes) {
      if (checked.has(id) || probe.events.length === 0) continue;
      if (readAt === null || readAt - options.logLagMs < Date.parse(probe.finishedAt)) continue;
      const missing: ExpectedEvent[] = [];
      const found: string[] = [];
      for (const e of probe.events) {
        const matches = (await this.#around(source, e.actor, Date.parse(e.from), Date.parse(e.to))).filter(
          (f) => f.eventType === e.type && (e.outcome === null || f.outcome === e.outcome) && isOurs(f, e),
        );
        if (matches.length < e.atLeast) missing.push(e);
        found.push(...matches.map(uuidOf).filter((u): u is string => u !== undefined));
      }
      const check: LogCheckRecord = {
        v: 1,
        kind: 'log-check',
        source,
        probeRecord: id,
        checkedAt: isoTime(this.deps.clock.now()),
        status: missing.length === 0 ? 'pass' : 'fail',
        missing,
        found: [...new Set(found)].sort(),
      };
      await this.deps.custody.appendRecords(source, 'canary-results', [canaryRecordEntry(check)]);
      if (check.status === 'fail') await this.deps.alert?.(logMissing(probe, id, check));
      done.push(check);
    }
    return done;
  }

  /**
   * Sign-in events of a canary since `sinceMs` that no recorded probe caused (outside every probe's
   * window, or another User-Agent or client IP): each a critical alert, once per event.
   */
  async foreignUse(source: string, logins: readonly string[], sinceMs: number): Promise<FoundEvent[]> {
    const { probes } = await this.#records(source);
    const foreign: FoundEvent[] = [];
    for (const login of logins) {
      const ours = [...probes.values()].flatMap((p) => p.events).filter((e) => e.actor === login);
      const events = await searchEvents(this.deps.custody.db, {
        source,
        actor: login,
        fromMs: sinceMs,
        limit: 1000,
      });
      for (const f of events) {
        if (!SIGN_IN_TYPES.test(f.eventType)) continue;
        const t = Date.parse(f.published);
        const explained = ours.some(
          (e) =>
            t >= Date.parse(e.from) - CLOCK_SKEW_MS && t <= Date.parse(e.to) + CLOCK_SKEW_MS && isOurs(f, e),
        );
        if (explained) continue;
        foreign.push(f);
        await this.deps.alert?.(foreignUse(source, login, f, this.deps.clock.now()));
      }
    }
    return foreign;
  }

  /** When the source's last probe ended (epoch ms), or null before the first. */
  async lastProbeAt(source: string): Promise<number | null> {
    const times = [...(await this.#records(source)).probes.values()].map((p) => Date.parse(p.finishedAt));
    return times.length === 0 ? null : Math.max(...times);
  }

  /** Every probe record of the source, and the log checks judged so far, by probe record id. */
  async #records(source: string) {
    const probes = new Map<string, ProbeRecord>();
    const checked = new Map<string, LogCheckRecord>();
    const reads = recordReads(this.deps.custody.db);
    for (let after = -1; ;) {
      const page = await reads.list(source, 'canary-results', { after, limit: 500 });
      for (const r of page) {
        const record = parseCanaryRecord(r.body, r.id);
        if (record.kind === 'probe') probes.set(r.id, record);
        else checked.set(record.probeRecord, record);
      }
      if (page.length < 500) return { probes, checked };
      after = page.at(-1)!.leafIndex;
    }
  }

  async #around(source: string, actor: string, fromMs: number, toMs: number): Promise<FoundEvent[]> {
    return searchEvents(this.deps.custody.db, {
      source,
      actor,
      fromMs: fromMs - CLOCK_SKEW_MS,
      toMs: toMs + CLOCK_SKEW_MS + 1,
      limit: 1000,
    });
  }

  /**
   * The password policy's lockout as the provider serves it now; when it cannot be read (a token
   * without `okta.policies.read`, a provider in trouble), the latest configuration snapshot's.
   */
  async #lockout(target: CanaryTarget): Promise<PasswordLockout | undefined> {
    try {
      return await target.client.passwordLockout();
    } catch (error) {
      if (!(error instanceof VigilError)) throw error;
      const latest = await recordReads(this.deps.custody.db).latest(target.source, 'config-snapshots');
      if (!latest) throw error;
      const objects = (JSON.parse(latest.body) as { objects?: Record<string, unknown> }).objects ?? {};
      return lockoutOf(
        Object.entries(objects)
          .filter(
            ([path, p]) =>
              /^\/api\/v1\/policies\/[^/]+$/.test(path) && (p as { type?: unknown }).type === 'PASSWORD',
          )
          .map(([, p]) => p),
      );
    }
  }
}

/** Whether a stored event came from the probe runner: its User-Agent, and its IP when configured. */
function isOurs(f: FoundEvent, e: ExpectedEvent): boolean {
  if (e.clientIp !== null && f.clientIp !== e.clientIp) return false;
  return userAgentOf(f) === e.userAgent;
}

function userAgentOf(f: FoundEvent): string | undefined {
  try {
    const ua = (JSON.parse(f.raw) as { client?: { userAgent?: { rawUserAgent?: unknown } } }).client
      ?.userAgent?.rawUserAgent;
    return typeof ua === 'string' ? ua : undefined;
  } catch {
    return undefined;
  }
}

function uuidOf(f: FoundEvent): string | undefined {
  try {
    const uuid = (JSON.parse(f.raw) as { uuid?: unknown }).uuid;
    return typeof uuid === 'string' ? uuid : undefined;
  } catch {
    return undefined;
  }
}

function probeFailed(record: ProbeRecord, recordId: string): Detection {
  return {
    ruleId: PROBE_FAILED_RULE,
    title: `Canary probe ${record.probe} ${record.status === 'fail' ? 'failed: the provider did not enforce its policy' : 'could not run'}`,
    severity: record.status === 'fail' ? 'critical' : 'high',
    entity: { type: 'user', id: record.canary, display: record.canary },
    description:
      `Canary ${record.canary} of source ${record.source}, probe ${record.probe}: expected ${record.expected}, ` +
      `observed ${record.observed}. Evidence: record ${recordId} of ledger ${record.source}/canary-results.`,
    eventIds: [],
    timeMs: Date.parse(record.finishedAt),
    dedupKey: `${PROBE_FAILED_RULE}:${record.source}:${record.canary}:${record.probe}:${record.status}`,
    source: record.source,
  };
}

function logMissing(probe: ProbeRecord, probeId: string, check: LogCheckRecord): Detection {
  const what = check.missing.map((e) => `${e.type}${e.outcome ? ` ${e.outcome}` : ''}`).join(', ');
  return {
    ruleId: LOG_MISSING_RULE,
    title: "The provider's log is missing events Vigil caused",
    severity: 'critical',
    entity: { type: 'user', id: probe.canary, display: probe.canary },
    description:
      `Canary ${probe.canary} of source ${probe.source}, probe ${probe.probe} (${probe.startedAt} to ${probe.finishedAt}): ` +
      `the System Log holds no ${what} from the probe. Evidence: the probe's signed record ${probeId} ` +
      `and the check's record, both in ledger ${probe.source}/canary-results.`,
    eventIds: check.found,
    timeMs: Date.parse(check.checkedAt),
    dedupKey: `${LOG_MISSING_RULE}:${probe.source}:${probeId}`,
    source: probe.source,
  };
}

function foreignUse(source: string, login: string, f: FoundEvent, nowMs: number): Detection {
  const uuid = uuidOf(f) ?? `${f.published}:${f.eventType}`;
  return {
    ruleId: FOREIGN_USE_RULE,
    title: 'A canary account was used by someone other than Vigil',
    severity: 'critical',
    entity: { type: 'user', id: login, display: login },
    description:
      `Source ${source}: ${f.eventType} (${f.outcome ?? 'no outcome'}) for canary ${login} at ${f.published} ` +
      `from ${f.clientIp ?? 'an unknown address'} (User-Agent ${JSON.stringify(userAgentOf(f) ?? null)}) ` +
      `matches no probe Vigil made. Canary credentials exist only for probes: treat them as stolen.`,
    eventIds: [uuid],
    timeMs: nowMs,
    dedupKey: `${FOREIGN_USE_RULE}:${source}:${uuid}`,
    source,
  };
}
