/**
 * The families of configuration objects a snapshot holds, by API path, with the System Log event
 * types that record a change to them (okta-api.md §3 as catalogued in docs/okta-catalog.md). A
 * change is explained by an event of one of those types that names the object (or, for the
 * singletons, any such event): see change-explanation.ts.
 */
export interface ResourceFamily {
  readonly family: string;
  /** Matches the object's API path; the named groups give the ids an explaining event targets. */
  readonly path: RegExp;
  /** Event type prefixes that record a change in this family. */
  readonly eventTypes: readonly string[];
  /** A singleton (one per org): any event of the family explains it, whatever its target. */
  readonly singleton?: boolean;
}

const ID = '[^/]+';

export const RESOURCE_FAMILIES: readonly ResourceFamily[] = [
  {
    family: 'policy-rule',
    path: new RegExp(`^/api/v1/policies/(?<policy>${ID})/rules/(?<id>${ID})$`),
    eventTypes: ['policy.rule.', 'policy.lifecycle.'],
  },
  {
    family: 'policy',
    path: new RegExp(`^/api/v1/policies/(?<id>${ID})$`),
    eventTypes: ['policy.lifecycle.', 'application.policy.sign_on.'],
  },
  {
    family: 'authenticator',
    path: new RegExp(`^/api/v1/authenticators/(?<id>${ID})$`),
    eventTypes: ['security.authenticator.lifecycle.', 'system.mfa.factor.'],
  },
  {
    family: 'zone',
    path: new RegExp(`^/api/v1/zones/(?<id>${ID})$`),
    eventTypes: ['zone.', 'security.zone.', 'network_zone.'],
  },
  {
    family: 'threat-insight',
    path: /^\/api\/v1\/threats\/configuration$/,
    eventTypes: ['security.threat.configuration.'],
    singleton: true,
  },
  {
    family: 'user-role',
    path: new RegExp(`^/api/v1/users/(?<id>${ID})/roles/(?<role>${ID})$`),
    eventTypes: ['user.account.privilege.', 'iam.resourceset.bindings.'],
  },
  {
    family: 'group-role',
    path: new RegExp(`^/api/v1/groups/(?<id>${ID})/roles/(?<role>${ID})$`),
    eventTypes: ['group.privilege.', 'iam.resourceset.bindings.'],
  },
  {
    family: 'client-role',
    path: new RegExp(`^/oauth2/v1/clients/(?<id>${ID})/roles/(?<role>${ID})$`),
    eventTypes: ['app.oauth2.client.privilege.'],
  },
  {
    family: 'api-token',
    path: new RegExp(`^/api/v1/api-tokens/(?<id>${ID})$`),
    eventTypes: ['system.api_token.'],
  },
  {
    family: 'idp',
    path: new RegExp(`^/api/v1/idps/(?<id>${ID})$`),
    eventTypes: ['system.idp.lifecycle.', 'system.idp.key.'],
  },
  {
    family: 'app',
    path: new RegExp(`^/api/v1/apps/(?<id>${ID})$`),
    eventTypes: ['application.lifecycle.', 'application.policy.', 'app.'],
  },
  {
    family: 'event-hook',
    path: new RegExp(`^/api/v1/eventHooks/(?<id>${ID})$`),
    eventTypes: ['event_hook.'],
  },
  {
    family: 'log-stream',
    path: new RegExp(`^/api/v1/logStreams/(?<id>${ID})$`),
    eventTypes: ['system.log_stream.'],
  },
  {
    family: 'trusted-origin',
    path: new RegExp(`^/api/v1/trustedOrigins/(?<id>${ID})$`),
    eventTypes: ['security.trusted_origin.'],
  },
  {
    family: 'support-case',
    path: new RegExp(`^/api/v1/org/privacy/oktaSupport/cases/(?<id>${ID})$`),
    eventTypes: ['user.session.impersonation.', 'support.'],
  },
  {
    family: 'support-access',
    path: /^\/api\/v1\/org\/privacy\/oktaSupport$/,
    eventTypes: ['user.session.impersonation.'],
    singleton: true,
  },
];

/** The family of an object's API path, and the ids an explaining event would target. */
export function familyOf(resource: string): { family: ResourceFamily; ids: string[] } | undefined {
  for (const family of RESOURCE_FAMILIES) {
    const match = family.path.exec(resource);
    if (match) {
      const groups = match.groups ?? {};
      return { family, ids: [groups['id'], groups['policy']].filter((v): v is string => v !== undefined) };
    }
  }
  return undefined;
}
