/**
 * An incident: a breach window at the provider (its published dates, or the team's own), optionally
 * with the indicators the provider published. The blast-radius report, the containment plan and the
 * drills all start from one (issue 17).
 */
export interface Incident {
  /** `inc-` and 12 hex digits. */
  readonly id: string;
  readonly name: string;
  /** The configured source whose log the window is read from. */
  readonly source: string;
  /** RFC 3339 UTC, inclusive. */
  readonly from: string;
  /** RFC 3339 UTC, exclusive. */
  readonly to: string;
  /** `support`: only what support staff (or a session they started) did; `all`: every in-scope event. */
  readonly scope: IncidentScope;
  readonly iocs: readonly Ioc[];
  readonly status: 'open' | 'closed';
  readonly openedAt: string;
  readonly closedAt?: string;
}

export type IncidentScope = 'support' | 'all';
export const INCIDENT_SCOPES: readonly IncidentScope[] = ['support', 'all'];

/** One indicator of compromise as the provider (or a threat report) published it. */
export type Ioc =
  | { readonly kind: 'ip'; readonly value: string }
  /** `value` is the CIDR as written (`203.0.113.0/24`, `2001:db8::/32`). */
  | { readonly kind: 'cidr'; readonly value: string }
  /** Matched as a case-insensitive substring of the event's user agent. */
  | { readonly kind: 'user-agent'; readonly value: string }
  /** `value` is the number, without `AS`. */
  | { readonly kind: 'asn'; readonly value: string };

export type IocKind = Ioc['kind'];
