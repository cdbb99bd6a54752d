import type { Clock } from '../../core/clock.js';
import { VigilError } from '../../core/vigil-error.js';
import type { CustodyStore } from '../../custody/custody-store.js';
import { recordReads } from '../../custody/record-reads.js';
import { canonicalize } from '../../ledger/jcs.js';
import type { ContainmentAction } from './containment-action.js';
import type { ContainmentErrorCode } from './errors.js';

/** An approval as ledgered: the whole action as approved, who approved it and when. */
export interface ApprovalRecord {
  readonly v: 1;
  readonly type: 'approval';
  readonly action: ContainmentAction;
  readonly approvedBy: string;
  readonly at: string;
}

/** What one run did about an action. */
export type ResultOutcome =
  /** The provider did it. */
  | 'done'
  /** The provider's state already was what the action asks (nothing sent). */
  | 'already-done'
  /** The provider refused, or gave no answer: reported, not retried in this run. */
  | 'refused';

export interface ResultRecord {
  readonly v: 1;
  readonly type: 'result';
  readonly actionId: string;
  readonly incident: string;
  readonly outcome: ResultOutcome;
  readonly httpStatus: number | null;
  readonly errorCode: string | null;
  readonly detail: string;
  readonly by: string;
  readonly at: string;
}

export type ActionRecord = (ApprovalRecord | ResultRecord) & {
  readonly recordId: string;
  readonly leafIndex: number;
};

/**
 * Containment's ledger: every approval and every result is a record of `<source>/actions`, signed
 * with the log's checkpoint as it is appended, so `vigil verify` checks them and an auditor can
 * prove what was approved, by whom, and what the provider answered.
 */
export class ContainmentLedger {
  constructor(
    private readonly custody: CustodyStore,
    private readonly clock: Clock,
  ) {}

  /** Every record about the incident's actions, in ledger order. */
  async records(source: string, incident: string): Promise<ActionRecord[]> {
    const reads = recordReads(this.custody.db);
    const out: ActionRecord[] = [];
    for (let after = -1; ;) {
      const page = await reads.list(source, 'actions', { after, limit: 500 });
      for (const r of page) {
        let value: ApprovalRecord | ResultRecord;
        try {
          value = JSON.parse(r.body) as ApprovalRecord | ResultRecord;
        } catch (error) {
          throw new VigilError<ContainmentErrorCode>(
            'CONTAIN_RECORD_INVALID',
            `record ${r.id} of ${r.log} is not JSON`,
            {
              category: 'check',
              cause: error,
            },
          );
        }
        const of = value.type === 'approval' ? value.action?.incident : value.incident;
        if (of === incident) out.push({ ...value, recordId: r.id, leafIndex: r.leafIndex });
      }
      if (page.length < 500) return out;
      after = page.at(-1)!.leafIndex;
    }
  }

  /** Ledgers an approval; an action already approved stays as first approved (returns false). */
  async approve(action: ContainmentAction, by: string): Promise<boolean> {
    const existing = await this.records(action.source, action.incident);
    if (existing.some((r) => r.type === 'approval' && r.action.id === action.id)) return false;
    const at = new Date(this.clock.now()).toISOString();
    const record: ApprovalRecord = { v: 1, type: 'approval', action, approvedBy: by, at };
    await this.custody.appendRecords(action.source, 'actions', [
      { id: `approval.${action.id}`, time: at, body: canonicalize(record) },
    ]);
    return true;
  }

  /** Ledgers one result (the nth for its action). */
  async result(source: string, fields: Omit<ResultRecord, 'v' | 'type' | 'at'>): Promise<ResultRecord> {
    const existing = await this.records(source, fields.incident);
    const n = existing.filter((r) => r.type === 'result' && r.actionId === fields.actionId).length + 1;
    const at = new Date(this.clock.now()).toISOString();
    const record: ResultRecord = { v: 1, type: 'result', ...fields, at };
    await this.custody.appendRecords(source, 'actions', [
      { id: `result.${fields.actionId}.${n}`, time: at, body: canonicalize(record) },
    ]);
    return record;
  }
}
