import type { Clock } from '../../core/clock.js';
import type { CustodyStore } from '../../custody/custody-store.js';
import { recordReads } from '../../custody/record-reads.js';
import type { AdminClient, ProviderSupportCase } from '../../sources/admin-client.js';
import { checkedTicket, SUPPORT_SCOPES, ticketBody, ticketId, type SupportTicket } from './support-ticket.js';

/** A ledgered ticket with its record id and leaf (for its inclusion proof). */
export interface StoredTicket {
  readonly id: string;
  readonly leafIndex: number;
  readonly ticket: SupportTicket;
}

/** Okta grants support access to a case for 24 hours (posture-ecosystem.md §2, "Okta, UI"). */
const CASE_GRANT_MS = 24 * 3_600_000;

/**
 * The approved support tickets of a source, ledgered in `<source>/support-tickets`: the customer's
 * approvals (`vigil support approve`, `vigil support import`) and what the provider's cases API
 * said (`vigil support sync`). A ticket, once recorded, never changes: a new approval is a new record.
 */
export class SupportTickets {
  constructor(
    private readonly custody: CustodyStore,
    private readonly clock: Clock,
  ) {}

  /** Ledgers tickets (already checked); those the log already holds are skipped. */
  async record(
    source: string,
    tickets: readonly SupportTicket[],
  ): Promise<{ recorded: StoredTicket[]; skipped: number }> {
    const have = new Set((await this.list(source)).map((t) => t.id));
    const fresh = new Map<string, SupportTicket>();
    for (const t of tickets) {
      const id = ticketId(t);
      if (!have.has(id)) fresh.set(id, t);
    }
    if (fresh.size > 0)
      await this.custody.appendRecords(
        source,
        'support-tickets',
        [...fresh].map(([id, t]) => ({ id, time: t.recordedAt, body: ticketBody(t) })),
      );
    const after = await this.list(source);
    return { recorded: after.filter((t) => fresh.has(t.id)), skipped: tickets.length - fresh.size };
  }

  /**
   * Reads the provider's cases and ledgers each as a `provider` ticket: an ENABLED case's window is
   * the 24 hours before its expiration; a case whose self-assigned approval is still REQUESTED is
   * recorded as approved by nobody.
   */
  async sync(source: string, admin: AdminClient, signal?: AbortSignal) {
    const cases = await admin.supportCases(signal);
    const now = new Date(this.clock.now()).toISOString();
    return {
      cases: cases.length,
      ...(await this.record(
        source,
        cases.flatMap((c) => {
          const t = providerTicket(source, c, now);
          return t ? [t] : [];
        }),
      )),
    };
  }

  /** Every ledgered ticket of the source, in ledger order. */
  async list(source: string): Promise<StoredTicket[]> {
    const reads = recordReads(this.custody.db);
    const out: StoredTicket[] = [];
    for (let after = -1; ;) {
      const page = await reads.list(source, 'support-tickets', { after, limit: 500 });
      for (const r of page) {
        let value: unknown;
        try {
          value = JSON.parse(r.body);
        } catch {
          value = undefined;
        }
        out.push({
          id: r.id,
          leafIndex: r.leafIndex,
          ticket: checkedTicket(value, `record ${r.id} of ${r.log}`, 'SUPPORT_RECORD_INVALID'),
        });
      }
      if (page.length < 500) return out;
      after = page.at(-1)!.leafIndex;
    }
  }
}

/** A provider case as a ticket; a case that never had access granted or requested has no window (undefined). */
export function providerTicket(
  source: string,
  c: ProviderSupportCase,
  now: string,
): SupportTicket | undefined {
  const expiration = c.expiration === null ? Number.NaN : Date.parse(c.expiration);
  const awaitingApproval = c.selfAssigned === 'REQUESTED';
  if (!Number.isFinite(expiration) && !awaitingApproval) return undefined;
  const to = Number.isFinite(expiration) ? expiration : Date.parse(now) + CASE_GRANT_MS;
  return {
    v: 1,
    source,
    caseNumber: c.caseNumber,
    from: new Date(to - CASE_GRANT_MS).toISOString(),
    to: new Date(to).toISOString(),
    // Okta's per-case grant is read-only admin access (posture-ecosystem.md §2).
    scope: SUPPORT_SCOPES.filter((s) => s === 'impersonation' || s === 'view'),
    approvedBy: awaitingApproval || c.impersonation !== 'ENABLED' ? null : `provider:${source}`,
    origin: 'provider',
    ...(c.subject ? { subject: c.subject } : {}),
    provider: { impersonation: c.impersonation, selfAssigned: c.selfAssigned },
    recordedFrom: `${source}: GET /api/v1/org/privacy/oktaSupport/cases`,
    recordedAt: now,
  };
}
