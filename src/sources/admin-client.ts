/**
 * The provider port for incident response (src/response): the support cases the provider lists,
 * and the few writes containment makes (end support access, clear a user's sessions, suspend,
 * reset factors, revoke an API token, deactivate an identity provider, put a policy rule back).
 * Reads say what is there now, so a run can skip what is already done. A write never throws for a
 * refusal: it answers an `AdminOutcome` naming the provider's status and error code, so the caller
 * can ledger what happened; only misuse (a malformed id) throws.
 */
export interface AdminClient {
  readonly name: string;
  /** Every support case the provider lists, as it lists them. */
  supportCases(signal?: AbortSignal): Promise<ProviderSupportCase[]>;
  /** Org-wide support access (the provider's older, case-less grant). */
  supportAccess(
    signal?: AbortSignal,
  ): Promise<{ readonly enabled: boolean; readonly expiration: string | null }>;
  /** Ends org-wide support access. */
  revokeSupportAccess(signal?: AbortSignal): Promise<AdminOutcome>;
  /** Ends one case's impersonation grant. */
  revokeSupportCase(caseNumber: string, signal?: AbortSignal): Promise<AdminOutcome>;
  /** A user's status (`ACTIVE`, `SUSPENDED`, ...); undefined when the provider has no such user. */
  userStatus(userId: string, signal?: AbortSignal): Promise<string | undefined>;
  clearSessions(userId: string, signal?: AbortSignal): Promise<AdminOutcome>;
  suspendUser(userId: string, signal?: AbortSignal): Promise<AdminOutcome>;
  resetFactors(userId: string, signal?: AbortSignal): Promise<AdminOutcome>;
  /** Whether an API token still exists. */
  apiTokenExists(tokenId: string, signal?: AbortSignal): Promise<boolean>;
  revokeApiToken(tokenId: string, signal?: AbortSignal): Promise<AdminOutcome>;
  /** An identity provider's status; undefined when there is none. */
  idpStatus(idpId: string, signal?: AbortSignal): Promise<string | undefined>;
  deactivateIdp(idpId: string, signal?: AbortSignal): Promise<AdminOutcome>;
  /** A policy rule as the provider holds it now; undefined when there is none. */
  policyRule(
    policyId: string,
    ruleId: string,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown> | undefined>;
  replacePolicyRule(
    policyId: string,
    ruleId: string,
    rule: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<AdminOutcome>;
}

/** A support case as the provider lists it (Okta's `OktaSupportCase`). */
export interface ProviderSupportCase {
  readonly caseNumber: string;
  readonly subject: string;
  /** `NOT_REQUESTED`, `REQUESTED`, `ENABLED`, `DISABLED`. */
  readonly impersonation: string;
  readonly expiration: string | null;
  /** `NOT_REQUIRED`, `REQUESTED`, `APPROVED`; null when the provider sent none. */
  readonly selfAssigned: string | null;
}

/** What one write did: done, or refused with the provider's answer (never retried forever). */
export type AdminOutcome =
  | { readonly ok: true; readonly httpStatus: number }
  | {
      readonly ok: false;
      /** 0 when no answer came. */
      readonly httpStatus: number;
      /** The provider's error code (`E0000007`, `E0000047`, ...), when one came. */
      readonly errorCode?: string;
      /** Why, in the provider's words (secrets removed, shortened). */
      readonly reason: string;
    };
