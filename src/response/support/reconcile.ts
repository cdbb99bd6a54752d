import type { Detection } from '../../detect/detection.js';
import type { Runtime } from '../../runtime/runtime.js';
import { findingProofs, type FindingProofs } from './finding-proofs.js';
import { supportActions, type SupportAction } from './support-actions.js';
import { windowOf } from './support-ticket.js';
import { SupportTickets, type StoredTicket } from './support-tickets.js';

/** What reconciliation found wrong (issue 17, "Support actions reconciled with approved tickets"). */
export type SupportFindingKind =
  /** A support action no approved ticket covers: by its case, or by time window and scope. */
  | 'unmatched-action'
  /** An action under a known, approved case, but outside the case's approved window. */
  | 'outside-window'
  /** Support access granted (or extended) with no case named. */
  | 'grant-without-case'
  /** A case nobody approved: a self-assigned case still awaiting approval, or a ticket with no approver. */
  | 'unapproved-case';

export interface SupportFinding {
  readonly kind: SupportFindingKind;
  readonly severity: 'critical' | 'high';
  readonly caseNumber: string | null;
  /** The events it is about, by provider id (the report carries their inclusion proofs). */
  readonly eventIds: readonly string[];
  /** The ticket records it is about, by record id in `<source>/support-tickets`. */
  readonly ticketIds: readonly string[];
  readonly detail: string;
}

export interface SupportMatch {
  readonly eventId: string;
  readonly eventType: string;
  readonly published: string;
  /** `case`: the event named the case; `window`: its time and scope fell inside a ticket's. */
  readonly by: 'case' | 'window';
  readonly ticketId: string;
  readonly caseNumber: string;
}

export interface SupportReconciliation {
  readonly source: string;
  readonly from: string;
  readonly to: string;
  readonly actions: readonly SupportAction[];
  readonly tickets: readonly StoredTicket[];
  readonly matched: readonly SupportMatch[];
  readonly findings: readonly SupportFinding[];
  /** Inclusion proofs of the events the findings name, against the newest signed checkpoint. */
  readonly proofs?: FindingProofs;
}

export interface ReconcileOptions {
  readonly source: string;
  /** RFC 3339 bounds of the actions checked; `to` exclusive. */
  readonly from: string;
  readonly to: string;
  /** Raise each finding as an alert through the runtime's alert intake (needs a writing runtime). */
  readonly raiseAlerts?: boolean;
}

const RULE = 'vigil-support-reconciliation';

/**
 * Every support action of the source in the window, matched to an approved ticket, and what matches
 * nothing. The blast-radius report calls it; `vigil support check` prints it and raises the findings
 * as alerts (critical for an action no ticket covers).
 */
export async function reconcileSupport(
  runtime: Runtime,
  options: ReconcileOptions,
): Promise<SupportReconciliation> {
  const fromMs = Date.parse(options.from);
  const toMs = Date.parse(options.to);
  const actions = await supportActions(runtime.store.db, options.source, fromMs, toMs);
  const tickets = await new SupportTickets(runtime.custody(), runtime.options.clock).list(options.source);
  const matching = reconcile(options.source, options.from, options.to, actions, tickets);
  const result: SupportReconciliation = {
    ...matching,
    proofs: await findingProofs(
      runtime.store.db,
      runtime.custody(),
      options.source,
      matching.findings.flatMap((f) => f.eventIds),
    ),
  };
  if (options.raiseAlerts && result.findings.length > 0) {
    const intake = runtime.alertIntake();
    for (const f of result.findings) await intake(findingDetection(options.source, f, result));
  }
  return result;
}

/** The pure matching: actions against tickets. */
export function reconcile(
  source: string,
  from: string,
  to: string,
  actions: readonly SupportAction[],
  tickets: readonly StoredTicket[],
): SupportReconciliation {
  const approved = tickets.filter((t) => t.ticket.approvedBy !== null);
  const matched: SupportMatch[] = [];
  const findings: SupportFinding[] = [];
  const covers = (t: StoredTicket, a: SupportAction) => {
    const at = Date.parse(a.published);
    const { fromMs, toMs } = windowOf(t.ticket);
    return at >= fromMs && at < toMs && (a.scope === null || t.ticket.scope.includes(a.scope));
  };
  const match = (a: SupportAction, t: StoredTicket, by: SupportMatch['by']) =>
    matched.push({
      eventId: a.uuid,
      eventType: a.eventType,
      published: a.published,
      by,
      ticketId: t.id,
      caseNumber: t.ticket.caseNumber,
    });
  const finding = (f: Omit<SupportFinding, 'ticketIds'> & { ticketIds?: readonly string[] }) =>
    findings.push({ ticketIds: [], ...f });

  for (const a of actions) {
    if (a.kind === 'grant' || a.kind === 'extend') {
      if (a.caseNumber === null) {
        finding({
          kind: 'grant-without-case',
          severity: 'high',
          caseNumber: null,
          eventIds: [a.uuid],
          detail: `${a.eventType} at ${a.published} names no support case: access was given to Okta Support as a whole, not to one approved ticket`,
        });
        continue;
      }
      const ticket = approved.find((t) => t.ticket.caseNumber === a.caseNumber);
      if (ticket) match(a, ticket, 'case');
      else caseNobodyApproved(a, tickets, finding);
      continue;
    }
    if (a.caseNumber !== null) {
      const ofCase = approved.filter((t) => t.ticket.caseNumber === a.caseNumber);
      const hit = ofCase.find((t) => covers(t, a));
      if (hit) match(a, hit, 'case');
      else if (ofCase.length > 0)
        finding({
          kind: 'outside-window',
          severity: 'critical',
          caseNumber: a.caseNumber,
          eventIds: [a.uuid],
          ticketIds: ofCase.map((t) => t.id),
          detail: `${a.eventType} at ${a.published} under case ${a.caseNumber}, outside what the case was approved for (${ofCase
            .map((t) => `${t.ticket.from} to ${t.ticket.to}, ${t.ticket.scope.join('+')}`)
            .join('; ')})`,
        });
      else caseNobodyApproved(a, tickets, finding);
      continue;
    }
    const hit = approved.find((t) => covers(t, a));
    if (hit) match(a, hit, 'window');
    else
      finding({
        kind: 'unmatched-action',
        severity: 'critical',
        caseNumber: null,
        eventIds: [a.uuid],
        detail: `${a.eventType} at ${a.published} (${a.kind}) by Okta Support matches no approved ticket by case, window or scope`,
      });
  }

  // Cases nobody approved, whether or not support has acted on them yet.
  for (const t of tickets) {
    if (t.ticket.approvedBy !== null) continue;
    if (findings.some((f) => f.kind === 'unapproved-case' && f.caseNumber === t.ticket.caseNumber)) continue;
    if (approved.some((a) => a.ticket.caseNumber === t.ticket.caseNumber)) continue;
    const { fromMs, toMs } = windowOf(t.ticket);
    if (toMs <= Date.parse(from) || fromMs >= Date.parse(to)) continue;
    finding({
      kind: 'unapproved-case',
      severity: 'high',
      caseNumber: t.ticket.caseNumber,
      eventIds: [],
      ticketIds: [t.id],
      detail:
        t.ticket.origin === 'provider'
          ? `case ${t.ticket.caseNumber} (impersonation ${t.ticket.provider?.impersonation ?? '?'}, self-assigned ${t.ticket.provider?.selfAssigned ?? '?'}) has no customer approval`
          : `ticket for case ${t.ticket.caseNumber} (${t.ticket.recordedFrom}) names no approver`,
    });
  }
  return { source, from, to, actions, tickets, matched, findings };
}

function caseNobodyApproved(
  a: SupportAction,
  tickets: readonly StoredTicket[],
  finding: (f: Omit<SupportFinding, 'ticketIds'> & { ticketIds?: readonly string[] }) => void,
): void {
  const known = tickets.filter((t) => t.ticket.caseNumber === a.caseNumber);
  finding({
    kind: known.length > 0 ? 'unapproved-case' : 'unmatched-action',
    severity: known.length > 0 ? 'high' : 'critical',
    caseNumber: a.caseNumber,
    eventIds: [a.uuid],
    ticketIds: known.map((t) => t.id),
    detail:
      known.length > 0
        ? `${a.eventType} at ${a.published} under case ${a.caseNumber}, which nobody approved`
        : `${a.eventType} at ${a.published} under case ${a.caseNumber}, which no ticket names`,
  });
}

/** A finding as an alert: critical when support acted without a ticket, high otherwise. */
function findingDetection(source: string, f: SupportFinding, r: SupportReconciliation): Detection {
  const first = r.actions.find((a) => a.uuid === f.eventIds[0]);
  const ticket = r.tickets.find((t) => t.id === f.ticketIds[0]);
  return {
    ruleId: RULE,
    title: `Support reconciliation: ${f.kind}${f.caseNumber ? ` (case ${f.caseNumber})` : ''}`,
    severity: f.severity,
    entity: { type: 'support-case', id: f.caseNumber ?? 'none' },
    description: f.detail,
    eventIds: f.eventIds,
    timeMs: Date.parse(first?.published ?? ticket?.ticket.from ?? r.from),
    dedupKey: `${RULE}:${source}:${f.kind}:${f.eventIds[0] ?? f.ticketIds[0] ?? f.caseNumber ?? ''}`,
    source,
  };
}
