import { z } from 'zod';

/**
 * The shape every configuration object must keep, one zod schema per family, after Okta's management
 * API specification (the models of `@okta/okta-sdk-nodejs` 7.x). Objects keep fields the schema does
 * not name (`passthrough`): the schemas pin what a posture check reads, so a write or a shadow change
 * that breaks one of those fields is refused with Okta's 400 E0000001.
 */

const lifecycle = z.enum(['ACTIVE', 'INACTIVE']);
const timestamp = z.string().datetime({ offset: true });
const okId = z.string().regex(/^[A-Za-z0-9]{20}$/, 'an Okta id of 20 letters and digits');
const links = z.record(z.unknown()).optional();

import { POLICY_TYPES } from '../../sources/okta/policy-types.js';

const base = {
  id: okId,
  created: timestamp,
  lastUpdated: timestamp,
  _links: links,
};

const people = z
  .object({
    groups: z
      .object({ include: z.array(z.string()).optional(), exclude: z.array(z.string()).optional() })
      .optional(),
    users: z
      .object({ include: z.array(z.string()).optional(), exclude: z.array(z.string()).optional() })
      .optional(),
  })
  .passthrough();

const network = z
  .object({
    connection: z.enum(['ANYWHERE', 'ZONE']),
    include: z.array(z.string()).optional(),
    exclude: z.array(z.string()).optional(),
  })
  .passthrough();

const conditions = z
  .object({ people: people.optional(), network: network.optional() })
  .passthrough()
  .nullable()
  .optional();

const passwordSettings = z
  .object({
    complexity: z
      .object({
        minLength: z.number().int().min(1).max(256),
        minLowerCase: z.number().int().min(0),
        minUpperCase: z.number().int().min(0),
        minNumber: z.number().int().min(0),
        minSymbol: z.number().int().min(0),
        excludeUsername: z.boolean(),
      })
      .passthrough(),
    age: z
      .object({
        maxAgeDays: z.number().int().min(0),
        minAgeMinutes: z.number().int().min(0),
        historyCount: z.number().int().min(0),
        expireWarnDays: z.number().int().min(0),
      })
      .passthrough(),
    lockout: z
      .object({
        maxAttempts: z.number().int().min(0),
        autoUnlockMinutes: z.number().int().min(0),
        showLockoutFailures: z.boolean(),
      })
      .passthrough(),
  })
  .passthrough();

const enrollSettings = z
  .object({
    type: z.enum(['AUTHENTICATORS', 'FACTORS']),
    authenticators: z
      .array(
        z
          .object({
            key: z.string(),
            enroll: z.object({ self: z.enum(['NOT_ALLOWED', 'OPTIONAL', 'REQUIRED']) }).passthrough(),
          })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough();

export const policySchema = z
  .object({
    ...base,
    type: z.enum(POLICY_TYPES),
    name: z.string().min(1),
    description: z.string().nullable().optional(),
    status: lifecycle,
    priority: z.number().int().min(1),
    system: z.boolean(),
    conditions,
    settings: z
      .object({ password: passwordSettings.optional() })
      .merge(enrollSettings.partial())
      .passthrough()
      .optional(),
  })
  .passthrough();

const assuranceMethod = z
  .object({
    type: z.enum(['ASSURANCE', 'AUTH_METHOD_CHAIN']),
    factorMode: z.enum(['1FA', '2FA']).optional(),
    reauthenticateIn: z.string().optional(),
    constraints: z.array(z.record(z.unknown())).optional(),
  })
  .passthrough();

const ruleActions = z
  .object({
    signon: z
      .object({
        access: z.enum(['ALLOW', 'DENY']),
        requireFactor: z.boolean().optional(),
        factorPromptMode: z.enum(['ALWAYS', 'DEVICE', 'SESSION']).optional(),
        factorLifetime: z.number().int().min(0).optional(),
        primaryFactor: z.enum(['PASSWORD_IDP', 'PASSWORD_IDP_ANY_FACTOR']).optional(),
        session: z
          .object({
            maxSessionIdleMinutes: z.number().int().min(0),
            maxSessionLifetimeMinutes: z.number().int().min(0),
            usePersistentCookie: z.boolean(),
          })
          .passthrough(),
      })
      .passthrough()
      .optional(),
    appSignOn: z
      .object({ access: z.enum(['ALLOW', 'DENY']), verificationMethod: assuranceMethod })
      .passthrough()
      .optional(),
    enroll: z
      .object({ self: z.enum(['CHALLENGE', 'LOGIN', 'NEVER']) })
      .passthrough()
      .optional(),
  })
  .passthrough();

export const policyRuleSchema = z
  .object({
    ...base,
    name: z.string().min(1),
    type: z.enum([
      'SIGN_ON',
      'PASSWORD',
      'MFA_ENROLL',
      'IDP_DISCOVERY',
      'ACCESS_POLICY',
      'PROFILE_ENROLLMENT',
      'POST_AUTH_SESSION',
      'ENTITY_RISK',
      'DEVICE_SIGNAL_COLLECTION',
    ]),
    status: lifecycle,
    priority: z.number().int().min(0),
    system: z.boolean(),
    conditions,
    actions: ruleActions,
  })
  .passthrough();

export const AUTHENTICATOR_KEYS = [
  'okta_password',
  'okta_email',
  'okta_verify',
  'phone_number',
  'webauthn',
  'security_key',
  'security_question',
  'google_otp',
  'duo',
  'yubikey_token',
  'symantec_vip',
  'onprem_mfa',
  'smart_card_idp',
  'external_idp',
  'custom_app',
  'tac',
] as const;

export const authenticatorSchema = z
  .object({
    ...base,
    key: z.enum(AUTHENTICATOR_KEYS),
    name: z.string().min(1),
    type: z.enum([
      'app',
      'email',
      'password',
      'phone',
      'security_key',
      'security_question',
      'federated',
      'tac',
    ]),
    status: lifecycle,
    settings: z.record(z.unknown()).optional(),
  })
  .passthrough();

const address = z.object({ type: z.enum(['CIDR', 'RANGE']), value: z.string().min(1) }).strict();

export const zoneSchema = z
  .object({
    ...base,
    type: z.enum(['IP', 'DYNAMIC', 'DYNAMIC_V2']),
    name: z.string().min(1),
    status: lifecycle,
    usage: z.enum(['POLICY', 'BLOCKLIST']),
    system: z.boolean(),
    gateways: z.array(address).nullable().optional(),
    proxies: z.array(address).nullable().optional(),
    locations: z
      .array(
        z.object({ country: z.string().length(2), region: z.string().nullable().optional() }).passthrough(),
      )
      .nullable()
      .optional(),
    asns: z.array(z.string()).nullable().optional(),
    proxyType: z.enum(['Any', 'Tor', 'NotTorAnonymizer']).nullable().optional(),
  })
  .passthrough();

export const threatInsightSchema = z
  .object({
    action: z.enum(['none', 'audit', 'block']),
    excludeZones: z.array(z.string()),
    created: timestamp,
    lastUpdated: timestamp,
    _links: links,
  })
  .passthrough();

export const ROLE_TYPES = {
  SUPER_ADMIN: 'Super Administrator',
  ORG_ADMIN: 'Organizational Administrator',
  APP_ADMIN: 'Application Administrator',
  USER_ADMIN: 'Group Administrator',
  HELP_DESK_ADMIN: 'Help Desk Administrator',
  READ_ONLY_ADMIN: 'Read-only Administrator',
  MOBILE_ADMIN: 'Mobile Administrator',
  API_ACCESS_MANAGEMENT_ADMIN: 'API Access Management Administrator',
  REPORT_ADMIN: 'Report Administrator',
  GROUP_MEMBERSHIP_ADMIN: 'Group Membership Administrator',
} as const;
export type RoleType = keyof typeof ROLE_TYPES;

export const roleSchema = z
  .object({
    id: z.string().min(1),
    type: z.enum(Object.keys(ROLE_TYPES) as [RoleType, ...RoleType[]]),
    label: z.string().min(1),
    status: lifecycle,
    assignmentType: z.enum(['USER', 'GROUP', 'CLIENT']),
    created: timestamp,
    lastUpdated: timestamp,
    _links: links,
  })
  .passthrough();

export const groupSchema = z
  .object({
    ...base,
    type: z.enum(['OKTA_GROUP', 'APP_GROUP', 'BUILT_IN']),
    profile: z
      .object({ name: z.string().min(1), description: z.string().nullable().optional() })
      .passthrough(),
  })
  .passthrough();

export const apiTokenSchema = z
  .object({
    ...base,
    name: z.string().min(1),
    userId: okId,
    clientName: z.string(),
    tokenWindow: z.string().regex(/^P/, 'an ISO 8601 duration'),
    expiresAt: timestamp,
    network: network.optional(),
  })
  .passthrough();

export const idpSchema = z
  .object({
    ...base,
    name: z.string().min(1),
    type: z.enum([
      'SAML2',
      'OIDC',
      'OKTA',
      'GOOGLE',
      'MICROSOFT',
      'FACEBOOK',
      'LINKEDIN',
      'APPLE',
      'X509',
      'AgentlessDSSO',
      'IWA',
    ]),
    status: lifecycle,
    issuerMode: z.enum(['ORG_URL', 'CUSTOM_URL', 'DYNAMIC']).optional(),
    protocol: z.record(z.unknown()).optional(),
    policy: z.record(z.unknown()).optional(),
  })
  .passthrough();

export const appSchema = z
  .object({
    ...base,
    name: z.string().min(1),
    label: z.string().min(1),
    status: z.enum(['ACTIVE', 'INACTIVE', 'DELETED']),
    signOnMode: z.enum([
      'AUTO_LOGIN',
      'BASIC_AUTH',
      'BOOKMARK',
      'BROWSER_PLUGIN',
      'OPENID_CONNECT',
      'SAML_1_1',
      'SAML_2_0',
      'SECURE_PASSWORD_STORE',
      'WS_FEDERATION',
    ]),
    visibility: z.record(z.unknown()).optional(),
    accessibility: z.record(z.unknown()).optional(),
    features: z.array(z.string()).optional(),
  })
  .passthrough();

export const eventHookSchema = z
  .object({
    ...base,
    name: z.string().min(1),
    status: lifecycle,
    verificationStatus: z.enum(['VERIFIED', 'UNVERIFIED']),
    events: z.object({ type: z.literal('EVENT_TYPE'), items: z.array(z.string()).min(1) }).passthrough(),
    channel: z
      .object({
        type: z.literal('HTTP'),
        version: z.string(),
        config: z.object({ uri: z.string().url() }).passthrough(),
      })
      .passthrough(),
  })
  .passthrough();

export const logStreamSchema = z
  .object({
    ...base,
    name: z.string().min(1),
    type: z.enum(['aws_eventbridge', 'splunk_cloud_logstreaming']),
    status: lifecycle,
    settings: z.record(z.unknown()),
  })
  .passthrough();

export const trustedOriginSchema = z
  .object({
    ...base,
    name: z.string().min(1),
    origin: z.string().url(),
    status: lifecycle,
    scopes: z.array(z.object({ type: z.enum(['CORS', 'REDIRECT', 'IFRAME_EMBED']) }).passthrough()),
  })
  .passthrough();

export const orgSchema = z
  .object({
    id: z.string().min(1),
    subdomain: z.string().min(1),
    companyName: z.string().min(1),
    status: lifecycle,
    created: timestamp,
    lastUpdated: timestamp,
    _links: links,
  })
  .passthrough();

export const supportSettingsSchema = z
  .object({
    support: z.enum(['ENABLED', 'DISABLED']),
    expiration: timestamp.nullable(),
    caseNumber: z.string().nullable().optional(),
    _links: links,
  })
  .passthrough();

export const supportCaseSchema = z
  .object({
    caseNumber: z.string().regex(/^[0-9]+$/, 'digits'),
    subject: z.string(),
    // OktaSupportAccessStatus and SelfAssignedStatus of Okta's management API specification.
    impersonation: z
      .object({
        status: z.enum(['NOT_REQUESTED', 'REQUESTED', 'ENABLED', 'DISABLED']),
        expiration: timestamp.nullable(),
      })
      .passthrough(),
    selfAssigned: z
      .object({ status: z.enum(['NOT_REQUIRED', 'REQUESTED', 'APPROVED']) })
      .passthrough()
      .optional(),
  })
  .passthrough();
