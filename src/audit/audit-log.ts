import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/vigil-error.js';
import type { CustodyStore } from '../custody/custody-store.js';
import { canonicalize } from '../ledger/jcs.js';
import { ledgerLog } from '../ledger/ledger-log.js';
import type { VigilDatabase } from '../store/database-schema.js';
import type { AuditErrorCode } from './errors.js';

/**
 * Vigil's own logs live under the reserved source name `vigil` (no configured source may take it):
 * the audit log is `vigil/audit`, a record log like any other, so `vigil verify` checks it and its
 * checkpoints can leave the host with the others.
 */
export const VIGIL_SOURCE = 'vigil';
export const AUDIT_LOG = ledgerLog(VIGIL_SOURCE, 'audit');

/** Who did what to what, and why: a sign-in, a reveal, an alert transition, a user change. */
export interface AuditEntry {
  /** Who: a console user's name, `cli:<os user>` for a command, `vigil` for Vigil itself. */
  readonly actor: string;
  /** Dotted, lower case: `console.sign-in`, `console.reveal`, `alert.transition`, `incident.open`. */
  readonly action: string;
  /** What it was done to (an alert id, an event uuid, a user name); never raw personal data. */
  readonly target?: string;
  /** Why, as the person gave it (a reveal's reason). */
  readonly reason?: string;
  /** Anything else worth keeping, as JSON (tokens, not personal data). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditRecord extends AuditEntry {
  readonly id: string;
  /** RFC 3339 UTC, from the clock. */
  readonly time: string;
  /** Its place in the `vigil/audit` log, for `vigil ledger prove --source vigil/audit --record ID`. */
  readonly leafIndex: number;
}

export interface AuditQuery {
  /** Inclusive RFC 3339 bounds on the record's time. */
  readonly from?: string;
  readonly to?: string;
  readonly action?: string;
  readonly actor?: string;
  /** Newest first, at most this many (default 100, at most 10,000). */
  readonly limit?: number;
}

const ACTION = /^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)+$/;
const MAX_LIMIT = 10_000;

/**
 * The audit log: every change a person makes through the console or a response command, ledgered
 * as it happens (one signed checkpoint per record: these are rare, and each must be provable on its
 * own). A record is written before the caller reports success, so an action that is not in the log
 * did not happen.
 */
export class AuditLog {
  constructor(
    private readonly custody: CustodyStore,
    private readonly db: Kysely<VigilDatabase>,
    private readonly clock: Clock,
  ) {}

  async record(entry: AuditEntry): Promise<AuditRecord> {
    if (!ACTION.test(entry.action))
      throw new TypeError(`audit action ${JSON.stringify(entry.action)} is not dotted lower case`);
    if (entry.actor.trim() === '') throw new TypeError('an audit record needs an actor');
    const id = randomUUID();
    const time = new Date(this.clock.now()).toISOString();
    const body = canonicalize({
      v: 1,
      id,
      time,
      actor: entry.actor,
      action: entry.action,
      ...(entry.target === undefined ? {} : { target: entry.target }),
      ...(entry.reason === undefined ? {} : { reason: entry.reason }),
      ...(entry.details === undefined ? {} : { details: entry.details }),
    });
    const { treeSize } = await this.custody.appendRecords(VIGIL_SOURCE, 'audit', [{ id, time, body }]);
    return { ...parseAuditBody(id, body), leafIndex: treeSize - 1 };
  }

  /** Records matching `query`, newest first. */
  async list(query: AuditQuery = {}): Promise<AuditRecord[]> {
    const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? 100)), MAX_LIMIT);
    let select = this.db
      .selectFrom('ledger_records')
      .select(['leaf_index', 'record_id', 'body'])
      .where('log', '=', AUDIT_LOG);
    if (query.from !== undefined) select = select.where('time', '>=', query.from);
    if (query.to !== undefined) select = select.where('time', '<=', query.to);
    const records: AuditRecord[] = [];
    // Action and actor live in the body; filter as the rows stream by, newest first.
    for (const row of await select.orderBy('leaf_index', 'desc').execute()) {
      const record = { ...parseAuditBody(row.record_id, row.body), leafIndex: Number(row.leaf_index) };
      if (query.action !== undefined && record.action !== query.action) continue;
      if (query.actor !== undefined && record.actor !== query.actor) continue;
      records.push(record);
      if (records.length >= limit) break;
    }
    return records;
  }
}

function parseAuditBody(id: string, body: string): Omit<AuditRecord, 'leafIndex'> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const r = parsed as Partial<Record<keyof AuditRecord | 'v', unknown>> | undefined;
  if (
    !r ||
    r.v !== 1 ||
    r.id !== id ||
    typeof r.time !== 'string' ||
    typeof r.actor !== 'string' ||
    typeof r.action !== 'string' ||
    (r.target !== undefined && typeof r.target !== 'string') ||
    (r.reason !== undefined && typeof r.reason !== 'string') ||
    (r.details !== undefined &&
      (typeof r.details !== 'object' || r.details === null || Array.isArray(r.details)))
  )
    throw new VigilError<AuditErrorCode>(
      'AUDIT_RECORD_INVALID',
      `audit record ${id} in ${AUDIT_LOG} is not an audit record`,
      {
        category: 'check',
        details: { id },
      },
    );
  return {
    id,
    time: r.time,
    actor: r.actor,
    action: r.action,
    ...(typeof r.target === 'string' ? { target: r.target } : {}),
    ...(typeof r.reason === 'string' ? { reason: r.reason } : {}),
    ...(r.details ? { details: r.details as Record<string, unknown> } : {}),
  };
}
