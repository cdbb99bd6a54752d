import type { z } from 'zod';
import type { Random } from '../../core/seeded-random.js';
import { oktaId, type OktaIdPrefix } from '../org/okta-ids.js';
import {
  apiTokenSchema,
  appSchema,
  authenticatorSchema,
  eventHookSchema,
  groupSchema,
  idpSchema,
  logStreamSchema,
  orgSchema,
  policyRuleSchema,
  policySchema,
  roleSchema,
  supportCaseSchema,
  supportSettingsSchema,
  threatInsightSchema,
  trustedOriginSchema,
  zoneSchema,
} from './config-schemas.js';

/** The rate-limit bucket a path belongs to (docs/simulator-config.md "Rate-limit buckets"). */
export type ConfigBucket =
  | 'policies'
  | 'authenticators'
  | 'zones'
  | 'threats'
  | 'roles'
  | 'groups'
  | 'api-tokens'
  | 'idps'
  | 'apps'
  | 'hooks'
  | 'log-streams'
  | 'trusted-origins'
  | 'org';

export const DEFAULT_BUCKET_LIMITS: Readonly<Record<ConfigBucket, number>> = {
  policies: 600,
  authenticators: 600,
  zones: 600,
  threats: 600,
  roles: 600,
  groups: 500,
  'api-tokens': 600,
  idps: 600,
  apps: 100,
  hooks: 600,
  'log-streams': 600,
  'trusted-origins': 600,
  org: 600,
};

/** The bucket of a request path (`undefined`: not a configuration path). */
export function bucketOf(path: string): ConfigBucket | undefined {
  if (/^\/api\/v1\/users\/[^/]+\/roles/.test(path) || path.startsWith('/api/v1/iam/')) return 'roles';
  if (/^\/oauth2\/v1\/clients\/[^/]+\/roles/.test(path)) return 'roles';
  const first = /^\/api\/v1\/([^/?]+)/.exec(path)?.[1];
  const byFirst: Record<string, ConfigBucket> = {
    policies: 'policies',
    authenticators: 'authenticators',
    zones: 'zones',
    threats: 'threats',
    groups: 'groups',
    'api-tokens': 'api-tokens',
    idps: 'idps',
    apps: 'apps',
    eventHooks: 'hooks',
    logStreams: 'log-streams',
    trustedOrigins: 'trusted-origins',
    org: 'org',
  };
  return first === undefined ? undefined : byFirst[first];
}

export type FamilyName =
  | 'policy'
  | 'policy-rule'
  | 'authenticator'
  | 'zone'
  | 'threat-insight'
  | 'user-role'
  | 'group-role'
  | 'client-role'
  | 'group'
  | 'api-token'
  | 'idp'
  | 'app'
  | 'event-hook'
  | 'log-stream'
  | 'trusted-origin'
  | 'org'
  | 'support-settings'
  | 'support-case';

/** One family of configuration objects: where its objects live and what shape they keep. */
export interface ConfigFamily {
  readonly name: FamilyName;
  /** Okta's name for the object in a 404 summary ("Resource not found: <id> (<kind>)"). */
  readonly kind: string;
  readonly schema: z.ZodTypeAny;
  /** A collection's path; the named group `parent` is the owning object's id. */
  readonly collection?: RegExp;
  /** A singleton's path (one object per org). */
  readonly singleton?: string;
  /** The field holding the object's id (its last path segment). */
  readonly idKey: 'id' | 'caseNumber';
  /** Id prefix of new objects. */
  readonly idPrefix?: OktaIdPrefix;
}

const ID = '[^/]+';

export const CONFIG_FAMILIES: readonly ConfigFamily[] = [
  {
    name: 'policy',
    kind: 'Policy',
    schema: policySchema,
    collection: /^\/api\/v1\/policies$/,
    idKey: 'id',
    idPrefix: '00p',
  },
  {
    name: 'policy-rule',
    kind: 'PolicyRule',
    schema: policyRuleSchema,
    collection: new RegExp(`^/api/v1/policies/(?<parent>${ID})/rules$`),
    idKey: 'id',
    idPrefix: '0pr',
  },
  {
    name: 'authenticator',
    kind: 'Authenticator',
    schema: authenticatorSchema,
    collection: /^\/api\/v1\/authenticators$/,
    idKey: 'id',
    idPrefix: 'aut',
  },
  {
    name: 'zone',
    kind: 'Zone',
    schema: zoneSchema,
    collection: /^\/api\/v1\/zones$/,
    idKey: 'id',
    idPrefix: 'nzo',
  },
  {
    name: 'threat-insight',
    kind: 'ThreatInsightConfiguration',
    schema: threatInsightSchema,
    singleton: '/api/v1/threats/configuration',
    idKey: 'id',
  },
  {
    name: 'user-role',
    kind: 'Role',
    schema: roleSchema,
    collection: new RegExp(`^/api/v1/users/(?<parent>${ID})/roles$`),
    idKey: 'id',
    idPrefix: 'ra1',
  },
  {
    name: 'group-role',
    kind: 'Role',
    schema: roleSchema,
    collection: new RegExp(`^/api/v1/groups/(?<parent>${ID})/roles$`),
    idKey: 'id',
    idPrefix: 'ra1',
  },
  {
    name: 'client-role',
    kind: 'Role',
    schema: roleSchema,
    collection: new RegExp(`^/oauth2/v1/clients/(?<parent>${ID})/roles$`),
    idKey: 'id',
    idPrefix: 'ra1',
  },
  {
    name: 'group',
    kind: 'UserGroup',
    schema: groupSchema,
    collection: /^\/api\/v1\/groups$/,
    idKey: 'id',
    idPrefix: '00g',
  },
  {
    name: 'api-token',
    kind: 'ApiToken',
    schema: apiTokenSchema,
    collection: /^\/api\/v1\/api-tokens$/,
    idKey: 'id',
    idPrefix: '00T',
  },
  {
    name: 'idp',
    kind: 'IdentityProvider',
    schema: idpSchema,
    collection: /^\/api\/v1\/idps$/,
    idKey: 'id',
    idPrefix: '0oa',
  },
  {
    name: 'app',
    kind: 'AppInstance',
    schema: appSchema,
    collection: /^\/api\/v1\/apps$/,
    idKey: 'id',
    idPrefix: '0oa',
  },
  {
    name: 'event-hook',
    kind: 'EventHook',
    schema: eventHookSchema,
    collection: /^\/api\/v1\/eventHooks$/,
    idKey: 'id',
    idPrefix: 'who',
  },
  {
    name: 'log-stream',
    kind: 'LogStream',
    schema: logStreamSchema,
    collection: /^\/api\/v1\/logStreams$/,
    idKey: 'id',
    idPrefix: '0oa',
  },
  {
    name: 'trusted-origin',
    kind: 'TrustedOrigin',
    schema: trustedOriginSchema,
    collection: /^\/api\/v1\/trustedOrigins$/,
    idKey: 'id',
    idPrefix: 'tos',
  },
  { name: 'org', kind: 'Org', schema: orgSchema, singleton: '/api/v1/org', idKey: 'id' },
  {
    name: 'support-settings',
    kind: 'OrgOktaSupportSettings',
    schema: supportSettingsSchema,
    singleton: '/api/v1/org/privacy/oktaSupport',
    idKey: 'id',
  },
  {
    name: 'support-case',
    kind: 'OktaSupportCase',
    schema: supportCaseSchema,
    collection: /^\/api\/v1\/org\/privacy\/oktaSupport\/cases$/,
    idKey: 'caseNumber',
  },
];

export const familyNamed = (name: FamilyName): ConfigFamily => CONFIG_FAMILIES.find((f) => f.name === name)!;

/** A new object id for the family (support cases are numbered by the caller). */
export function newObjectId(family: ConfigFamily, random: Random): string {
  if (!family.idPrefix) throw new TypeError(`family ${family.name} has no generated ids`);
  return oktaId(random, family.idPrefix);
}
