import type { BlastRadius } from '../report/blast-radius.js';
import {
  actionId,
  type ContainmentAction,
  type ContainmentKind,
  type ContainmentTarget,
} from './containment-action.js';

/** A policy rule as a posture snapshot held it before the incident changed it. */
export type PriorRule = (
  policyId: string,
  ruleId: string,
) => { readonly snapshotId: string; readonly rule: Readonly<Record<string, unknown>> } | undefined;

/**
 * The containment plan for an incident's blast radius, a pure function: end support access (each
 * case the log names, and the org-wide grant), clear the sessions of every affected user, reset the
 * factors and suspend the users the report says to, revoke the API tokens and deactivate the identity
 * providers made in the window, and put each changed policy rule back as the last posture snapshot
 * before the change held it (only when posture has one). One action per kind and target, each with
 * its reason and the events that call for it, in a stable order.
 */
export function planContainment(blast: BlastRadius, priorRule?: PriorRule): ContainmentAction[] {
  const { incident } = blast;
  const byId = new Map<
    string,
    {
      kind: ContainmentKind;
      target: ContainmentTarget;
      reasons: Set<string>;
      evidence: Set<string>;
      revertTo?: ContainmentAction['revertTo'];
    }
  >();
  const add = (
    kind: ContainmentKind,
    target: ContainmentTarget,
    reason: string,
    evidence: readonly string[],
    revertTo?: ContainmentAction['revertTo'],
  ) => {
    const id = actionId(incident.id, kind, target.id);
    let a = byId.get(id);
    if (!a)
      byId.set(
        id,
        (a = { kind, target, reasons: new Set(), evidence: new Set(), ...(revertTo ? { revertTo } : {}) }),
      );
    a.reasons.add(reason);
    for (const e of evidence) a.evidence.add(e);
  };

  const support = [...blast.supportAccess.grants, ...blast.supportAccess.sessions];
  const supportEvents = blast.events.filter(
    (e) => e.eventType.startsWith('user.session.impersonation.') || e.eventType.startsWith('support.org.'),
  );
  for (const e of supportEvents)
    for (const t of e.targets)
      if (t.type === 'CaseNumber' && /^[0-9]{1,32}$/.test(t.id))
        add(
          'revoke-support-case',
          { type: 'support-case', id: t.id },
          `support worked under case ${t.id} in the incident window`,
          [e.uuid],
        );
  if (support.length > 0)
    add(
      'revoke-support-access',
      { type: 'org', id: 'okta-support' },
      'support access was granted or used in the incident window',
      support,
    );

  for (const p of blast.principals) {
    const why = `${p.admin ? 'admin' : 'user'} ${p.id} was touched by ${p.happened.length} cited event(s)`;
    if (p.recommended.includes('clear-sessions'))
      add('clear-sessions', { type: 'user', id: p.id }, why, p.happened);
    if (p.recommended.includes('reset-factors'))
      add('reset-factors', { type: 'user', id: p.id }, why, p.happened);
    if (p.recommended.includes('suspend'))
      add('suspend-user', { type: 'user', id: p.id }, `${why}; created in the window`, p.happened);
  }
  for (const t of blast.apiTokens)
    add(
      'revoke-api-token',
      { type: 'api-token', id: t.id },
      `API token ${t.name ?? t.id} was created in the incident window`,
      [t.uuid],
    );
  for (const i of blast.identityProviders)
    add(
      'deactivate-idp',
      { type: 'idp', id: i.id },
      `identity provider ${i.id} was created or changed in the incident window`,
      [i.uuid],
    );
  const seenRules = new Set<string>();
  for (const c of blast.policyChanges) {
    if (c.ruleId === undefined || c.policyId === 'unknown' || seenRules.has(c.ruleId)) continue;
    seenRules.add(c.ruleId);
    const prior = priorRule?.(c.policyId, c.ruleId);
    if (!prior) continue;
    const evidence = blast.policyChanges.filter((x) => x.ruleId === c.ruleId).map((x) => x.uuid);
    add(
      'revert-policy-rule',
      { type: 'policy-rule', id: c.ruleId, policyId: c.policyId },
      `policy rule ${c.ruleId} was changed in the incident window; snapshot ${prior.snapshotId} holds it as it was before`,
      evidence,
      prior,
    );
  }

  const order = (kind: ContainmentKind) =>
    [
      'revoke-support-case',
      'revoke-support-access',
      'revoke-api-token',
      'deactivate-idp',
      'revert-policy-rule',
      'clear-sessions',
      'reset-factors',
      'suspend-user',
    ].indexOf(kind);
  return [...byId.entries()]
    .map(([id, a]) => ({
      id,
      incident: incident.id,
      source: incident.source,
      kind: a.kind,
      target: a.target,
      reason: [...a.reasons].join('; '),
      evidence: [...a.evidence],
      ...(a.revertTo ? { revertTo: a.revertTo } : {}),
    }))
    .sort(
      (x, y) =>
        order(x.kind) - order(y.kind) || (x.target.id < y.target.id ? -1 : x.target.id > y.target.id ? 1 : 0),
    );
}
