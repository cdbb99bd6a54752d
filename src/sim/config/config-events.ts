import type { OktaTarget } from '../../sources/okta/log-event.js';
import type { FamilyName } from './config-families.js';
import type { ConfigObject } from './config-model.js';

/** The lifecycle verbs a configuration write performs. */
export type ConfigVerb = 'create' | 'update' | 'activate' | 'deactivate' | 'delete';

/**
 * The System Log event types (and Okta's display messages) a write of each family emits
 * (okta-api.md §3; docs/simulator-config.md lists them for Vigil's posture side).
 */
export const WRITE_EVENTS: Partial<
  Record<FamilyName, Partial<Record<ConfigVerb, readonly [string, string]>>>
> = {
  policy: {
    create: ['policy.lifecycle.create', 'Create policy'],
    update: ['policy.lifecycle.update', 'Update policy'],
    activate: ['policy.lifecycle.activate', 'Activate policy'],
    deactivate: ['policy.lifecycle.deactivate', 'Deactivate policy'],
    delete: ['policy.lifecycle.delete', 'Delete policy'],
  },
  'policy-rule': {
    create: ['policy.rule.add', 'Add policy rule'],
    update: ['policy.rule.update', 'Update policy rule'],
    activate: ['policy.rule.activate', 'Activate policy rule'],
    deactivate: ['policy.rule.deactivate', 'Deactivate policy rule'],
    delete: ['policy.rule.delete', 'Delete policy rule'],
  },
  authenticator: {
    create: ['security.authenticator.lifecycle.create', 'Create authenticator'],
    update: ['security.authenticator.lifecycle.update', 'Update authenticator'],
    activate: ['security.authenticator.lifecycle.activate', 'Activate authenticator'],
    deactivate: ['security.authenticator.lifecycle.deactivate', 'Deactivate authenticator'],
  },
  zone: {
    create: ['zone.create', 'Create network zone'],
    update: ['zone.update', 'Update network zone'],
    activate: ['zone.activate', 'Activate network zone'],
    deactivate: ['zone.deactivate', 'Deactivate network zone'],
    delete: ['zone.delete', 'Delete network zone'],
  },
  idp: {
    create: ['system.idp.lifecycle.create', 'Create IdP'],
    update: ['system.idp.lifecycle.update', 'Update IdP'],
    activate: ['system.idp.lifecycle.activate', 'Activate IdP'],
    deactivate: ['system.idp.lifecycle.deactivate', 'Deactivate IdP'],
    delete: ['system.idp.lifecycle.delete', 'Delete IdP'],
  },
  app: {
    create: ['application.lifecycle.create', 'Create application'],
    update: ['application.lifecycle.update', 'Update application'],
    activate: ['application.lifecycle.activate', 'Activate application'],
    deactivate: ['application.lifecycle.deactivate', 'Deactivate application'],
    delete: ['application.lifecycle.delete', 'Delete application'],
  },
  'event-hook': {
    create: ['event_hook.created', 'Event hook created'],
    update: ['event_hook.updated', 'Event hook updated'],
    activate: ['event_hook.activated', 'Event hook activated'],
    deactivate: ['event_hook.deactivated', 'Event hook deactivated'],
    delete: ['event_hook.deleted', 'Event hook deleted'],
  },
  'log-stream': {
    create: ['system.log_stream.lifecycle.create', 'Create log stream'],
    update: ['system.log_stream.lifecycle.update', 'Update log stream'],
    activate: ['system.log_stream.lifecycle.activate', 'Activate log stream'],
    deactivate: ['system.log_stream.lifecycle.deactivate', 'Deactivate log stream'],
    delete: ['system.log_stream.lifecycle.delete', 'Delete log stream'],
  },
  'trusted-origin': {
    create: ['security.trusted_origin.create', 'Create trusted origin'],
    update: ['security.trusted_origin.update', 'Update trusted origin'],
    activate: ['security.trusted_origin.activate', 'Activate trusted origin'],
    deactivate: ['security.trusted_origin.deactivate', 'Deactivate trusted origin'],
    delete: ['security.trusted_origin.delete', 'Delete trusted origin'],
  },
  'api-token': {
    create: ['system.api_token.create', 'Create API token'],
    update: ['system.api_token.update', 'Update API token'],
    delete: ['system.api_token.revoke', 'Revoke API token'],
  },
};

/** Role grants and revocations, by the kind of principal that holds the role. */
export const PRIVILEGE_EVENTS = {
  'user-role': {
    grant: ['user.account.privilege.grant', 'Grant user privilege'],
    revoke: ['user.account.privilege.revoke', 'Revoke user privilege'],
  },
  'group-role': {
    grant: ['group.privilege.grant', 'Grant group privilege'],
    revoke: ['group.privilege.revoke', 'Revoke group privilege'],
  },
  'client-role': {
    grant: ['app.oauth2.client.privilege.grant', 'Grant client privilege'],
    revoke: ['app.oauth2.client.privilege.revoke', 'Revoke client privilege'],
  },
} as const;

const TARGET_TYPES: Partial<Record<FamilyName, string>> = {
  policy: 'PolicyEntity',
  'policy-rule': 'PolicyRule',
  authenticator: 'Authenticator',
  zone: 'NetworkZone',
  idp: 'IdentityProvider',
  app: 'AppInstance',
  'event-hook': 'EventHook',
  'log-stream': 'LogStream',
  'trusted-origin': 'TrustedOrigin',
  'api-token': 'Token',
  group: 'UserGroup',
};

const POLICY_TYPE_NAMES: Record<string, string> = {
  OKTA_SIGN_ON: 'OktaSignOn',
  ACCESS_POLICY: 'AccessPolicy',
  PASSWORD: 'Password',
  MFA_ENROLL: 'MfaEnroll',
  IDP_DISCOVERY: 'IdpDiscovery',
  PROFILE_ENROLLMENT: 'ProfileEnrollment',
};

/** The `target` entry naming a configuration object, in Okta's shape. */
export function targetOf(family: FamilyName, object: ConfigObject): OktaTarget {
  const name = String(
    object['name'] ??
      object['label'] ??
      (object['profile'] as ConfigObject | undefined)?.['name'] ??
      'unknown',
  );
  const alternateId =
    family === 'authenticator'
      ? String(object['key'])
      : family === 'app'
        ? String(object['label'])
        : family === 'trusted-origin'
          ? String(object['origin'])
          : 'unknown';
  const detailEntry =
    family === 'policy'
      ? { policyType: POLICY_TYPE_NAMES[String(object['type'])] ?? String(object['type']) }
      : family === 'policy-rule'
        ? { policyRuleType: String(object['type']) }
        : null;
  return {
    id: String(object['id']),
    type: TARGET_TYPES[family] ?? family,
    alternateId,
    displayName: name,
    detailEntry,
  };
}

const UNTRACKED = new Set(['id', 'created', 'lastUpdated', '_links', '_link', '_embedded']);

/**
 * `changeDetails` of an update: the top-level fields that changed, before and after. A policy rule's
 * actions and conditions are written as JSON strings (`policyRuleActionJson`,
 * `policyRuleConditionJson`), as Okta writes them.
 */
export function changeDetails(
  family: FamilyName,
  before: ConfigObject,
  after: ConfigObject,
): { from: Record<string, unknown>; to: Record<string, unknown> } | undefined {
  const from: Record<string, unknown> = {};
  const to: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (UNTRACKED.has(key)) continue;
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    const name =
      family === 'policy-rule' && key === 'actions'
        ? 'policyRuleActionJson'
        : family === 'policy-rule' && key === 'conditions'
          ? 'policyRuleConditionJson'
          : key;
    const stringify = name !== key;
    from[name] = stringify ? JSON.stringify(before[key] ?? null) : (before[key] ?? null);
    to[name] = stringify ? JSON.stringify(after[key] ?? null) : (after[key] ?? null);
  }
  return Object.keys(to).length === 0 ? undefined : { from, to };
}
