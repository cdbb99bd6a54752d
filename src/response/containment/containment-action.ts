/** What containment can do through the provider's API (issue 17, "Containment"). */
export const CONTAINMENT_KINDS = [
  'revoke-support-case',
  'revoke-support-access',
  'clear-sessions',
  'reset-factors',
  'suspend-user',
  'revoke-api-token',
  'deactivate-idp',
  'revert-policy-rule',
] as const;
export type ContainmentKind = (typeof CONTAINMENT_KINDS)[number];

/** What an action is done to: provider ids only, never personal data. */
export interface ContainmentTarget {
  readonly type: 'support-case' | 'org' | 'user' | 'api-token' | 'idp' | 'policy-rule';
  readonly id: string;
  /** A policy rule's policy. */
  readonly policyId?: string;
}

/**
 * One proposed action: stable id `<incident>.<kind>.<target id>` (the same incident and blast
 * radius always give the same ids, so an approval names exactly one action), why, and the events
 * that call for it by provider id.
 */
export interface ContainmentAction {
  readonly id: string;
  readonly incident: string;
  readonly source: string;
  readonly kind: ContainmentKind;
  readonly target: ContainmentTarget;
  readonly reason: string;
  readonly evidence: readonly string[];
  /** For `revert-policy-rule`: the rule as the last posture snapshot before the change held it. */
  readonly revertTo?: { readonly snapshotId: string; readonly rule: Readonly<Record<string, unknown>> };
}

export const actionId = (incident: string, kind: ContainmentKind, targetId: string): string =>
  `${incident}.${kind}.${targetId}`;

/** The incident an action id belongs to (`inc-…`), or undefined for something that is no action id. */
export function incidentOfAction(id: string): string | undefined {
  const m = /^(inc-[0-9a-f]{12})\.([a-z-]+)\.([A-Za-z0-9_-]{1,128})$/.exec(id);
  return m && (CONTAINMENT_KINDS as readonly string[]).includes(m[2]!) ? m[1] : undefined;
}

/** The System Log event the provider writes when the action is done (okta-api.md §3). */
export const RESULT_EVENT: Record<ContainmentKind, string> = {
  'revoke-support-case': 'user.session.impersonation.revoke',
  'revoke-support-access': 'user.session.impersonation.revoke',
  'clear-sessions': 'user.session.clear',
  'reset-factors': 'user.mfa.factor.reset_all',
  'suspend-user': 'user.lifecycle.suspend',
  'revoke-api-token': 'system.api_token.revoke',
  'deactivate-idp': 'system.idp.lifecycle.deactivate',
  'revert-policy-rule': 'policy.rule.update',
};
