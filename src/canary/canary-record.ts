import { VigilError } from '../core/vigil-error.js';
import { canonicalize } from '../ledger/jcs.js';
import { sha256 } from '../ledger/merkle-hash.js';
import type { CanaryErrorCode } from './errors.js';

/**
 * A System Log event a probe must cause: its type, whose it is, its outcome (null: any), when, and
 * from where (the runner's client IP when configured, its User-Agent always). `atLeast`: how many
 * (a lockout causes one failure per attempt).
 */
export interface ExpectedEvent {
  readonly type: string;
  readonly actor: string;
  readonly outcome: string | null;
  readonly from: string;
  readonly to: string;
  readonly clientIp: string | null;
  readonly userAgent: string;
  readonly atLeast: number;
}

export type ProbeStatus = 'pass' | 'fail' | 'error';

/** One probe's result as ledgered (`<source>/canary-results`): no secret is ever part of it. */
export interface ProbeRecord {
  readonly v: 1;
  readonly kind: 'probe';
  readonly source: string;
  readonly canary: string;
  readonly probe: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly expected: string;
  readonly observed: string;
  readonly status: ProbeStatus;
  readonly events: readonly ExpectedEvent[];
}

/** The log check of one probe record, ledgered beside it once judged. */
export interface LogCheckRecord {
  readonly v: 1;
  readonly kind: 'log-check';
  readonly source: string;
  /** The probe record's id. */
  readonly probeRecord: string;
  readonly checkedAt: string;
  readonly status: 'pass' | 'fail';
  /** The expected events the log did not hold. */
  readonly missing: readonly ExpectedEvent[];
  /** The uuids of the events that matched. */
  readonly found: readonly string[];
}

export type CanaryRecord = ProbeRecord | LogCheckRecord;

/** A record's bytes (RFC 8785 canonical JSON) and its id: its time and the start of its digest. */
export function canaryRecordEntry(record: CanaryRecord): { id: string; time: string; body: string } {
  const body = canonicalize(record);
  const time = record.kind === 'probe' ? record.finishedAt : record.checkedAt;
  return { id: `${time}-${sha256(body).toString('hex').slice(0, 12)}`, time, body };
}

export function parseCanaryRecord(body: string, recordId: string): CanaryRecord {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw bad(recordId, 'not JSON');
  }
  const r = value as Partial<CanaryRecord> | null;
  if (r === null || typeof r !== 'object' || r.v !== 1) throw bad(recordId, 'not a version 1 record');
  if (r.kind === 'probe' && typeof r.canary === 'string' && Array.isArray(r.events)) return r as ProbeRecord;
  if (r.kind === 'log-check' && typeof r.probeRecord === 'string') return r as LogCheckRecord;
  throw bad(recordId, 'neither a probe nor a log check');
}

function bad(recordId: string, why: string): VigilError<CanaryErrorCode> {
  return new VigilError('CANARY_RECORD_INVALID', `canary record ${recordId}: ${why}`, { category: 'check' });
}
