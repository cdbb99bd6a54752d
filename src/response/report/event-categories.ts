/**
 * Which System Log events a provider-breach report looks at, by category (posture-ecosystem.md §5
 * "Derived skeleton" item 3; the hunts of okta-api.md §4.1–4.5). Each category names what the event
 * is evidence of; an event can be in none (it is then cited only when it hits an indicator).
 */
export type EventCategory =
  /** Support staff were given or used access: impersonation, `support.org.*`. */
  | 'support-access'
  /** A password or factor change performed by Okta's support (actor Okta System, no client). */
  | 'support-performed'
  /** A password or factor was reset, changed, added or removed. */
  | 'credential-change'
  /** Administrator rights were granted. */
  | 'admin-grant'
  | 'api-token'
  | 'identity-provider'
  /** An application created, changed or given rights. */
  | 'app-change'
  | 'hook-change'
  | 'policy-change'
  | 'user-created'
  /** A session moved to another client or network (the HAR-file token reuse, §4.4). */
  | 'session-anomaly';

const BY_TYPE: ReadonlyMap<string, EventCategory> = new Map([
  ['user.session.impersonation.grant', 'support-access'],
  ['user.session.impersonation.initiate', 'support-access'],
  ['user.session.impersonation.end', 'support-access'],
  ['user.session.impersonation.extend', 'support-access'],
  ['user.session.impersonation.revoke', 'support-access'],
  ['support.org.view', 'support-access'],
  ['support.org.update', 'support-access'],
  ['user.account.reset_password', 'credential-change'],
  ['user.account.update_password', 'credential-change'],
  ['user.mfa.factor.reset_all', 'credential-change'],
  ['user.mfa.factor.deactivate', 'credential-change'],
  ['user.mfa.factor.suspend', 'credential-change'],
  ['user.mfa.factor.update', 'credential-change'],
  ['user.mfa.factor.activate', 'credential-change'],
  ['user.mfa.attempt_bypass', 'credential-change'],
  ['system.mfa.factor.deactivate', 'credential-change'],
  ['user.account.privilege.grant', 'admin-grant'],
  ['group.privilege.grant', 'admin-grant'],
  ['app.oauth2.client.privilege.grant', 'admin-grant'],
  ['system.api_token.create', 'api-token'],
  ['system.idp.lifecycle.create', 'identity-provider'],
  ['system.idp.lifecycle.update', 'identity-provider'],
  ['system.idp.lifecycle.activate', 'identity-provider'],
  ['application.lifecycle.create', 'app-change'],
  ['application.lifecycle.update', 'app-change'],
  ['application.lifecycle.activate', 'app-change'],
  ['event_hook.created', 'hook-change'],
  ['event_hook.activated', 'hook-change'],
  ['inline_hook.created', 'hook-change'],
  ['inline_hook.activated', 'hook-change'],
  ['policy.lifecycle.create', 'policy-change'],
  ['policy.lifecycle.update', 'policy-change'],
  ['policy.lifecycle.deactivate', 'policy-change'],
  ['policy.lifecycle.delete', 'policy-change'],
  ['policy.rule.create', 'policy-change'],
  ['policy.rule.update', 'policy-change'],
  ['policy.rule.deactivate', 'policy-change'],
  ['policy.rule.delete', 'policy-change'],
  ['user.lifecycle.create', 'user-created'],
  ['user.session.context.change', 'session-anomaly'],
  ['security.session.detect_client_roaming', 'session-anomaly'],
]);

/** Every event type a category names: the report's indexed query asks for exactly these. */
export const CATEGORIZED_TYPES: readonly string[] = [...BY_TYPE.keys()];

/** The account Okta's support tool acts as (okta-api.md §4.3, Panther's "Okta Support Reset Credential"). */
const SUPPORT_ACTOR_LOGIN = 'system@okta.com';

export interface CategorySubject {
  readonly eventType: string;
  readonly actorType: string | null;
  readonly actorLogin: string | null;
  /** The event has a client: an IP or a user agent. */
  readonly hasClient: boolean;
}

/** The categories of one event: its type's, and `support-performed` for a support-tool credential change. */
export function categorize(subject: CategorySubject): EventCategory[] {
  const category = BY_TYPE.get(subject.eventType);
  if (category === undefined) return [];
  const bySupportTool =
    (subject.actorType === 'SystemPrincipal' || subject.actorLogin === SUPPORT_ACTOR_LOGIN) &&
    !subject.hasClient;
  return category === 'credential-change' && bySupportTool ? ['support-performed', category] : [category];
}

/** A category a `support`-scoped incident cites: what support staff did or were allowed to do. */
export const SUPPORT_CATEGORIES: ReadonlySet<EventCategory> = new Set([
  'support-access',
  'support-performed',
]);
