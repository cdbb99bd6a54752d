import type { Random } from '../../core/seeded-random.js';
import { oktaId } from '../org/okta-ids.js';
import type { SimOrg } from '../org/sim-org.js';
import { ConfigModel, type ConfigObject } from './config-model.js';
import type { PolicyType } from '../../sources/okta/policy-types.js';
import { ROLE_TYPES, type RoleType } from './config-schemas.js';

const DAY = 86_400_000;

/** How many objects of each kind an org of `users` people has (10,000 users: the benchmark org). */
export function configSizeFor(users: number) {
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(v)));
  return {
    groups: Math.max(6, Math.round(users / 20)),
    apps: Math.max(14, Math.round(users * 0.03)),
    zones: clamp(users / 200, 6, 50),
    policyRules: clamp(users / 50, 14, 200),
  };
}

/** What a seed chose, so tests and drills know which posture the org starts with. */
export interface ConfigProfile {
  /** SMS/voice and security questions active, ThreatInsight only auditing, unlimited default sessions. */
  readonly weak: boolean;
  readonly size: ReturnType<typeof configSizeFor>;
}

/** Odd seeds start weak, even seeds hardened: both postures are one flag away in any test. */
export const profileFor = (seed: number, users: number): ConfigProfile => ({
  weak: seed % 2 === 1,
  size: configSizeFor(users),
});

const iso = (ms: number) => new Date(ms).toISOString();
const self = (href: string) => ({ self: { href } });

/**
 * Seeds the org's configuration from the simulated org: the same seed, users and time give the same
 * objects with the same ids. Ids the System Log traffic already names (the global session policy, the
 * Admin Console and its policy, apps, groups, admins) are the ones the configuration holds.
 */
export function seedConfig(org: SimOrg, random: Random, profile: ConfigProfile, nowMs: number): ConfigModel {
  const r = random.fork('config');
  const model = new ConfigModel(org.users.map((u) => u.id));
  const { weak, size } = profile;
  const stamp = () => {
    const created = nowMs - r.int(90, 900) * DAY - r.int(0, DAY);
    const lastUpdated = Math.min(nowMs - DAY, created + r.int(0, 60) * DAY + r.int(0, DAY));
    return { created: iso(created), lastUpdated: iso(lastUpdated) };
  };
  const subdomain = org.domain.split('.')[0]!;

  // Org, support access and its cases.
  model.setSingleton('/api/v1/org', {
    id: oktaId(r, '00o'),
    subdomain,
    companyName: `${subdomain[0]!.toUpperCase()}${subdomain.slice(1)} Inc.`,
    website: `https://www.${org.domain}`,
    status: 'ACTIVE',
    ...stamp(),
    _links: { ...self('/api/v1/org'), oktaSupport: { href: '/api/v1/org/privacy/oktaSupport' } },
  });
  model.setSingleton('/api/v1/org/privacy/oktaSupport', {
    support: 'DISABLED',
    expiration: null,
    caseNumber: null,
    _links: {
      grant: { href: '/api/v1/org/privacy/oktaSupport/grant', hints: { allow: ['POST'] } },
    },
  });
  for (const subject of ['SAML assertion rejected by Salesforce', 'Okta Verify push delays']) {
    model.insert('/api/v1/org/privacy/oktaSupport/cases', {
      caseNumber: String(r.int(1_000_000, 9_999_999)).padStart(8, '0'),
      subject,
      impersonation: { status: 'DISABLED', expiration: null },
      selfAssigned: { status: 'NOT_REQUIRED' },
    });
  }

  // Network zones: Okta's system zones, the offices, blocklists, then more offices up to the size.
  const zone = (z: ConfigObject) => {
    const id = oktaId(r, 'nzo');
    model.insert('/api/v1/zones', {
      id,
      ...z,
      ...stamp(),
      _links: {
        ...self(`/api/v1/zones/${id}`),
        deactivate: { href: `/api/v1/zones/${id}/lifecycle/deactivate`, hints: { allow: ['POST'] } },
      },
    });
    return id;
  };
  const cidr = () => ({ type: 'CIDR', value: `${r.int(11, 199)}.${r.int(0, 255)}.${r.int(0, 255)}.0/24` });
  zone({
    type: 'IP',
    name: 'LegacyIpZone',
    status: 'ACTIVE',
    usage: 'POLICY',
    system: true,
    gateways: [cidr(), cidr()],
    proxies: null,
  });
  zone({
    type: 'IP',
    name: 'BlockedIpZone',
    status: 'ACTIVE',
    usage: 'BLOCKLIST',
    system: true,
    gateways: [],
    proxies: null,
  });
  zone({
    type: 'DYNAMIC_V2',
    name: 'DefaultEnhancedDynamicZone',
    status: 'ACTIVE',
    usage: 'BLOCKLIST',
    system: true,
    locations: null,
    asns: null,
    proxyType: 'Any',
  });
  const corporate = zone({
    type: 'IP',
    name: 'Corporate offices',
    status: 'ACTIVE',
    usage: 'POLICY',
    system: false,
    gateways: [cidr(), cidr(), { type: 'RANGE', value: '198.51.100.10-198.51.100.20' }],
    proxies: null,
  });
  zone({
    type: 'DYNAMIC',
    name: 'Anonymizers',
    status: weak ? 'INACTIVE' : 'ACTIVE',
    usage: 'BLOCKLIST',
    system: false,
    locations: null,
    asns: null,
    proxyType: 'Any',
  });
  zone({
    type: 'IP',
    name: 'Known bad addresses',
    status: 'ACTIVE',
    usage: 'BLOCKLIST',
    system: false,
    gateways: [cidr()],
    proxies: null,
  });
  for (let n = 1; model.list('/api/v1/zones').length < size.zones; n++) {
    zone({
      type: 'IP',
      name: `Branch office ${n}`,
      status: 'ACTIVE',
      usage: 'POLICY',
      system: false,
      gateways: [cidr()],
      proxies: null,
    });
  }

  model.setSingleton('/api/v1/threats/configuration', {
    action: weak ? 'audit' : 'block',
    excludeZones: [corporate],
    ...stamp(),
    _links: self('/api/v1/threats/configuration'),
  });

  // Groups: those the traffic names, the admin groups, then teams up to the size.
  const group = (id: string, name: string, type = 'OKTA_GROUP') => {
    model.insert('/api/v1/groups', {
      id,
      type,
      profile: { name, description: type === 'BUILT_IN' ? 'All users in your organization' : null },
      ...stamp(),
      objectClass: ['okta:user_group'],
      _links: self(`/api/v1/groups/${id}`),
    });
    return id;
  };
  for (const g of org.groups) group(g.id, g.name, g.name === 'Everyone' ? 'BUILT_IN' : 'OKTA_GROUP');
  const adminsGroup = group(oktaId(r, '00g'), 'Okta Administrators');
  const helpDesk = group(oktaId(r, '00g'), 'Help Desk');
  for (let n = 1; model.list('/api/v1/groups').length < size.groups; n++)
    group(oktaId(r, '00g'), `Team ${n}`);

  // Authenticators (weak ones active only in weak seeds).
  const authenticator = (
    key: string,
    name: string,
    type: string,
    status: string,
    settings?: ConfigObject,
  ) => {
    const id = oktaId(r, 'aut');
    model.insert('/api/v1/authenticators', {
      id,
      key,
      name,
      type,
      status,
      ...(settings ? { settings } : {}),
      ...stamp(),
      _links: {
        ...self(`/api/v1/authenticators/${id}`),
        methods: { href: `/api/v1/authenticators/${id}/methods` },
      },
    });
  };
  authenticator('okta_password', 'Password', 'password', 'ACTIVE');
  authenticator('okta_email', 'Email', 'email', 'ACTIVE', {
    allowedFor: 'recovery',
    tokenLifetimeInMinutes: 5,
  });
  authenticator('okta_verify', 'Okta Verify', 'app', 'ACTIVE', { userVerification: 'PREFERRED' });
  authenticator('webauthn', 'Security Key or Biometric', 'security_key', 'ACTIVE');
  authenticator('phone_number', 'Phone', 'phone', weak ? 'ACTIVE' : 'INACTIVE', { allowedFor: 'any' });
  authenticator('security_question', 'Security Question', 'security_question', weak ? 'ACTIVE' : 'INACTIVE', {
    allowedFor: 'recovery',
  });
  authenticator('google_otp', 'Google Authenticator', 'app', 'INACTIVE');

  // Policies and rules.
  let rules = 0;
  const policy = (type: PolicyType, p: ConfigObject & { id?: string }) => {
    const id = p.id ?? oktaId(r, type === 'ACCESS_POLICY' ? 'rst' : '00p');
    model.insert('/api/v1/policies', {
      id,
      type,
      status: 'ACTIVE',
      system: false,
      description: null,
      conditions: null,
      ...p,
      ...stamp(),
      _links: {
        ...self(`/api/v1/policies/${id}`),
        rules: { href: `/api/v1/policies/${id}/rules`, hints: { allow: ['GET', 'POST'] } },
      },
    });
    return id;
  };
  const rule = (policyId: string, p: ConfigObject & { id?: string }) => {
    const id = p.id ?? oktaId(r, '0pr');
    rules++;
    model.insert(`/api/v1/policies/${policyId}/rules`, {
      id,
      status: 'ACTIVE',
      system: false,
      conditions: null,
      ...p,
      ...stamp(),
      _links: self(`/api/v1/policies/${policyId}/rules/${id}`),
    });
  };
  const session = (idle: number, lifetime: number) => ({
    maxSessionIdleMinutes: idle,
    maxSessionLifetimeMinutes: lifetime,
    usePersistentCookie: false,
  });
  const anywhere = { network: { connection: 'ANYWHERE' } };

  const adminSession = policy('OKTA_SIGN_ON', {
    name: 'Administrators',
    priority: 1,
    conditions: { people: { groups: { include: [adminsGroup] } } },
  });
  rule(adminSession, {
    name: 'Admins require MFA',
    type: 'SIGN_ON',
    priority: 1,
    conditions: { people: { users: { exclude: [] } }, ...anywhere },
    actions: {
      signon: {
        access: 'ALLOW',
        requireFactor: true,
        factorPromptMode: 'ALWAYS',
        rememberDeviceByDefault: false,
        primaryFactor: 'PASSWORD_IDP_ANY_FACTOR',
        session: session(30, 480),
      },
    },
  });
  policy('OKTA_SIGN_ON', {
    id: org.signOnPolicy.id,
    name: org.signOnPolicy.name,
    priority: 2,
    system: true,
    description: 'The default policy applies in all situations if no other policy applies.',
    conditions: { people: { groups: { include: [org.groups.find((g) => g.name === 'Everyone')!.id] } } },
  });
  rule(org.signOnPolicy.id, {
    id: org.signOnPolicy.ruleId,
    name: org.signOnPolicy.ruleName,
    type: 'SIGN_ON',
    priority: 1,
    system: true,
    conditions: { people: { users: { exclude: [] } }, ...anywhere },
    actions: {
      signon: {
        access: 'ALLOW',
        requireFactor: false,
        factorPromptMode: 'ALWAYS',
        primaryFactor: 'PASSWORD_IDP_ANY_FACTOR',
        rememberDeviceByDefault: false,
        session: session(120, weak ? 0 : 720),
      },
    },
  });

  const assurance = (factorMode: '1FA' | '2FA', constraints: ConfigObject[] = []) => ({
    appSignOn: {
      access: 'ALLOW',
      verificationMethod: { factorMode, type: 'ASSURANCE', reauthenticateIn: 'PT2H', constraints },
    },
  });
  const catchAll = (policyId: string, factorMode: '1FA' | '2FA') =>
    rule(policyId, {
      name: 'Catch-all Rule',
      type: 'ACCESS_POLICY',
      priority: 99,
      system: true,
      actions: assurance(factorMode),
    });
  const adminPolicy = policy('ACCESS_POLICY', {
    id: org.adminConsolePolicy.id,
    name: org.adminConsolePolicy.name,
    priority: 1,
    system: false,
  });
  // The rule cross-tenant-2023 weakens: its actions are the "from" side of that event.
  rule(adminPolicy, {
    id: org.adminConsolePolicy.ruleId,
    name: org.adminConsolePolicy.ruleName,
    type: 'ACCESS_POLICY',
    priority: 0,
    conditions: { people: { groups: { include: [adminsGroup] } }, ...anywhere },
    actions: assurance('2FA'),
  });
  catchAll(adminPolicy, '2FA');
  const dashboardPolicy = policy('ACCESS_POLICY', { name: 'Okta Dashboard', priority: 2 });
  catchAll(dashboardPolicy, weak ? '1FA' : '2FA');
  const defaultAccess = policy('ACCESS_POLICY', {
    name: 'Default Policy',
    priority: 4,
    system: true,
    description: 'The default authentication policy',
  });
  catchAll(defaultAccess, '1FA');
  const twoFactors = policy('ACCESS_POLICY', { name: 'Any two factors', priority: 3 });
  rule(twoFactors, {
    name: 'Phishing-resistant for admins',
    type: 'ACCESS_POLICY',
    priority: 0,
    conditions: { people: { groups: { include: [adminsGroup] } }, ...anywhere },
    actions: assurance('2FA', [{ possession: { phishingResistant: 'REQUIRED', deviceBound: 'REQUIRED' } }]),
  });
  catchAll(twoFactors, '2FA');

  const passwordPolicy = policy('PASSWORD', {
    name: 'Default Policy',
    priority: 1,
    system: true,
    conditions: { people: { groups: { include: [org.groups.find((g) => g.name === 'Everyone')!.id] } } },
    settings: {
      password: {
        complexity: {
          minLength: weak ? 8 : 14,
          minLowerCase: 1,
          minUpperCase: 1,
          minNumber: 1,
          minSymbol: weak ? 0 : 1,
          excludeUsername: true,
          excludeAttributes: [],
          dictionary: { common: { exclude: !weak } },
        },
        age: { maxAgeDays: 0, expireWarnDays: 0, minAgeMinutes: 0, historyCount: weak ? 0 : 4 },
        lockout: {
          maxAttempts: weak ? 0 : 10,
          autoUnlockMinutes: 0,
          userLockoutNotificationChannels: [],
          showLockoutFailures: false,
        },
      },
      recovery: {
        factors: { okta_email: { status: 'ACTIVE' }, okta_sms: { status: weak ? 'ACTIVE' : 'INACTIVE' } },
      },
      delegation: { options: { skipUnlock: false } },
    },
  });
  rule(passwordPolicy, {
    name: 'Default Rule',
    type: 'PASSWORD',
    priority: 1,
    system: true,
    conditions: { people: { users: { exclude: [] } }, ...anywhere },
    actions: {
      passwordChange: { access: 'ALLOW' },
      selfServicePasswordReset: { access: 'ALLOW' },
      selfServiceUnlock: { access: 'DENY' },
    },
  });

  const enroll = policy('MFA_ENROLL', {
    name: 'Default Policy',
    priority: 1,
    system: true,
    settings: {
      type: 'AUTHENTICATORS',
      authenticators: [
        { key: 'okta_verify', enroll: { self: 'REQUIRED' } },
        { key: 'webauthn', enroll: { self: 'OPTIONAL' } },
        { key: 'okta_email', enroll: { self: 'NOT_ALLOWED' } },
        { key: 'phone_number', enroll: { self: weak ? 'OPTIONAL' : 'NOT_ALLOWED' } },
        { key: 'security_question', enroll: { self: weak ? 'OPTIONAL' : 'NOT_ALLOWED' } },
      ],
    },
  });
  rule(enroll, {
    name: 'Default Rule',
    type: 'MFA_ENROLL',
    priority: 1,
    system: true,
    conditions: { people: { users: { exclude: [] } }, ...anywhere },
    actions: { enroll: { self: 'CHALLENGE' } },
  });

  const discovery = policy('IDP_DISCOVERY', { name: 'Idp Discovery Policy', priority: 1, system: true });
  rule(discovery, {
    name: 'Default Rule',
    type: 'IDP_DISCOVERY',
    priority: 1,
    system: true,
    actions: { idp: { providers: [{ type: 'OKTA' }] } },
  });
  const profileEnrollment = policy('PROFILE_ENROLLMENT', {
    name: 'Default Policy',
    priority: 1,
    system: true,
  });
  rule(profileEnrollment, {
    name: 'Catch-all Rule',
    type: 'PROFILE_ENROLLMENT',
    priority: 99,
    system: true,
    actions: {
      profileEnrollment: { access: 'ALLOW', profileAttributes: [{ name: 'email', required: true }] },
    },
  });

  // More app policies with their rules, up to the org's size.
  const appPolicies = [twoFactors, defaultAccess];
  for (let n = 1; rules < size.policyRules; n++) {
    const id = policy('ACCESS_POLICY', { name: `App policy ${n}`, priority: 4 + n });
    appPolicies.push(id);
    for (let k = 1; k <= 3 && rules < size.policyRules - 1; k++) {
      rule(id, {
        name: `Rule ${k}`,
        type: 'ACCESS_POLICY',
        priority: k,
        conditions: {
          people: { groups: { include: [r.pick(model.list('/api/v1/groups')).id as string] } },
          network: k === 1 ? { connection: 'ZONE', include: [corporate] } : { connection: 'ANYWHERE' },
        },
        actions: assurance(r.chance(0.8) ? '2FA' : '1FA'),
      });
    }
    catchAll(id, '2FA');
  }

  // Apps: those the traffic names, the Admin Console and Dashboard, service clients, then more.
  const app = (
    id: string,
    label: string,
    name: string,
    signOnMode: string,
    policyId: string,
    extra: ConfigObject = {},
  ) =>
    model.insert('/api/v1/apps', {
      id,
      name,
      label,
      status: 'ACTIVE',
      signOnMode,
      accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null },
      visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: {} },
      features: [],
      ...extra,
      ...stamp(),
      _links: {
        ...self(`/api/v1/apps/${id}`),
        accessPolicy: { href: `/api/v1/policies/${policyId}` },
      },
    });
  app(org.adminConsole.id, org.adminConsole.label, 'saasure', 'OPENID_CONNECT', adminPolicy);
  app(org.dashboard.id, org.dashboard.label, 'okta_enduser', 'OPENID_CONNECT', dashboardPolicy);
  for (const a of org.apps) {
    app(a.id, a.label, a.label.toLowerCase().replace(/[^a-z0-9]+/g, '_'), 'SAML_2_0', r.pick(appPolicies));
  }
  const service = (label: string) => {
    const id = oktaId(r, '0oa');
    app(id, label, 'oidc_client', 'OPENID_CONNECT', defaultAccess, {
      settings: { oauthClient: { application_type: 'service' } },
    });
    return id;
  };
  const terraform = service('Terraform automation');
  service('SIEM connector');
  for (let n = 1; model.list('/api/v1/apps').length < size.apps; n++) {
    app(
      oktaId(r, '0oa'),
      `Internal app ${n}`,
      'bookmark',
      r.chance(0.5) ? 'SAML_2_0' : 'BOOKMARK',
      r.pick(appPolicies),
    );
  }

  // Admin roles: users (the org's admins), groups and a service client.
  const role = (collection: string, type: RoleType, assignmentType: string) => {
    const id = oktaId(r, 'ra1');
    model.insert(collection, {
      id,
      label: ROLE_TYPES[type],
      type,
      status: 'ACTIVE',
      assignmentType,
      ...stamp(),
      _links: { assignee: { href: collection.replace(/\/roles$/, '') } },
    });
  };
  const adminRoles: RoleType[] = [
    'ORG_ADMIN',
    'HELP_DESK_ADMIN',
    'READ_ONLY_ADMIN',
    'APP_ADMIN',
    'REPORT_ADMIN',
  ];
  org.admins.forEach((admin, i) => {
    const type =
      i === 0 || (i === 1 && org.admins.length > 2) ? 'SUPER_ADMIN' : adminRoles[i % adminRoles.length]!;
    role(`/api/v1/users/${admin.id}/roles`, type, 'USER');
  });
  role(`/api/v1/groups/${adminsGroup}/roles`, 'ORG_ADMIN', 'GROUP');
  role(`/api/v1/groups/${helpDesk}/roles`, 'HELP_DESK_ADMIN', 'GROUP');
  role(`/oauth2/v1/clients/${terraform}/roles`, weak ? 'SUPER_ADMIN' : 'ORG_ADMIN', 'CLIENT');

  // API tokens: one restricted to the offices, others not.
  const token = (name: string, userId: string, network: ConfigObject) => {
    const id = oktaId(r, '00T');
    const s = stamp();
    model.insert('/api/v1/api-tokens', {
      id,
      name,
      userId,
      clientName: 'Okta API',
      tokenWindow: 'P30D',
      expiresAt: iso(nowMs + r.int(1, 29) * DAY),
      network,
      ...s,
      _link: self(`/api/v1/api-tokens/${id}`),
    });
  };
  const owner = org.admins[0]!.id;
  token('Vigil collector', owner, { connection: 'ZONE', include: [corporate], exclude: [] });
  token('SCIM provisioning', owner, { connection: 'ANYWHERE' });
  if (weak) token('Legacy backup script', org.admins[org.admins.length - 1]!.id, { connection: 'ANYWHERE' });

  // Identity providers, event hooks, log streams, trusted origins.
  const idp = oktaId(r, '0oa');
  model.insert('/api/v1/idps', {
    id: idp,
    name: 'Google Workspace',
    type: 'GOOGLE',
    status: 'ACTIVE',
    issuerMode: 'ORG_URL',
    protocol: { type: 'OIDC', scopes: ['openid', 'email', 'profile'] },
    policy: { provisioning: { action: 'AUTO' }, maxClockSkew: 0 },
    ...stamp(),
    _links: self(`/api/v1/idps/${idp}`),
  });
  const hook = oktaId(r, 'who');
  model.insert('/api/v1/eventHooks', {
    id: hook,
    name: 'SIEM forwarder',
    description: null,
    status: 'ACTIVE',
    verificationStatus: 'VERIFIED',
    events: {
      type: 'EVENT_TYPE',
      items: [
        'user.session.start',
        'user.account.privilege.grant',
        'system.api_token.create',
        'policy.rule.update',
      ],
    },
    channel: {
      type: 'HTTP',
      version: '1.0.0',
      config: {
        uri: `https://siem.${org.domain}/okta/hooks`,
        headers: [],
        authScheme: { type: 'HEADER', key: 'Authorization' },
      },
    },
    createdBy: owner,
    ...stamp(),
    _links: self(`/api/v1/eventHooks/${hook}`),
  });
  const stream = oktaId(r, '0oa');
  model.insert('/api/v1/logStreams', {
    id: stream,
    name: 'Splunk Cloud',
    type: 'splunk_cloud_logstreaming',
    status: 'ACTIVE',
    settings: { host: `${subdomain}.splunkcloud.com`, edition: 'aws' },
    ...stamp(),
    _links: self(`/api/v1/logStreams/${stream}`),
  });
  for (const [name, host, scopes] of [
    ['Intranet', `https://intranet.${org.domain}`, ['CORS', 'REDIRECT']],
    ['Support portal', `https://support.${org.domain}`, ['REDIRECT']],
  ] as const) {
    const id = oktaId(r, 'tos');
    model.insert('/api/v1/trustedOrigins', {
      id,
      name,
      origin: host,
      status: 'ACTIVE',
      scopes: scopes.map((type) => ({ type })),
      createdBy: owner,
      lastUpdatedBy: owner,
      ...stamp(),
      _links: self(`/api/v1/trustedOrigins/${id}`),
    });
  }
  return model;
}
