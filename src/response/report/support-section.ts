import type { SupportReconciliation as SupportResult } from '../support/reconcile.js';

/**
 * The report's support-ticket reconciliation (issue 17): each support action matched to a ticket
 * the customer approved (`response/support/reconcile.ts`). When it could not run, the section says
 * so, and never pretends every action was approved.
 */
export type SupportReconciliation =
  | { readonly available: false; readonly reason: string }
  | { readonly available: true; readonly result: SupportResult };

export const RECONCILIATION_NOT_AVAILABLE: SupportReconciliation = {
  available: false,
  reason:
    'support-ticket reconciliation did not run: support actions in the timeline are not checked against approved tickets',
};
