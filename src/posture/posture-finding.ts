/**
 * One line of `vigil posture check --json` (a stable contract, docs/design.md "Posture"). Results
 * follow ScubaGear's conventions: a policy id per check, SHALL or SHOULD, pass / fail / warn /
 * not-applicable, the evidence (the object's API path and the field's JSON pointer) and the fix.
 */
export interface PostureFinding {
  readonly kind: 'baseline' | 'allow-list' | 'drift' | 'shadow-change';
  /** The check's policy id (`OKTA.SUPPORT.1.1v1`); null for drift and shadow changes. */
  readonly check: string | null;
  readonly title: string;
  /** SHALL: a failure fails the check run; SHOULD: a failure is a warning. */
  readonly requirement: 'SHALL' | 'SHOULD' | null;
  /** Where the check comes from: DISA STIG rule ids (V-…), Okta HealthInsight, incident lessons. */
  readonly references: readonly string[];
  /** The object's API path (the evidence). */
  readonly resource: string;
  /** RFC 6901 pointer of the field inside the object, or null for the whole object. */
  readonly field: string | null;
  /** Drift and shadow changes: the value in the earlier snapshot; baseline: what the check expects. */
  readonly before: unknown;
  /** The value in the (later) snapshot. */
  readonly after: unknown;
  readonly status: 'pass' | 'fail' | 'warn' | 'not-applicable';
  /**
   * uuids of the System Log events that record this change (drift; empty for a shadow change), or
   * for a failing baseline finding the last event that changed the object.
   */
  readonly explainedBy: readonly string[];
  /** One sentence for a person: what holds or not, with the names that matter. */
  readonly detail: string;
  /** How to fix it, where there is something to do. */
  readonly fix: string | null;
}

/** Exit 1 when a SHALL check fails or any shadow change exists. */
export function postureFailed(findings: readonly PostureFinding[]): boolean {
  return findings.some((f) => f.status === 'fail' || f.kind === 'shadow-change');
}
