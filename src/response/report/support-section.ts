/**
 * The report's support-ticket reconciliation (issue 17): each support action matched to a ticket
 * the customer approved. It is computed by `response/support/` (H4); until that runs for a report,
 * the section says so, and never pretends every action was approved.
 */
export type SupportReconciliation =
  | { readonly available: false; readonly reason: string }
  | {
      readonly available: true;
      /** What reconciliation found, as it reports it (unmatched, out of window, unapproved, matched). */
      readonly result: unknown;
    };

export const RECONCILIATION_NOT_AVAILABLE: SupportReconciliation = {
  available: false,
  reason:
    'support-ticket reconciliation is not available in this Vigil: support actions in the timeline are not checked against approved tickets',
};
