import { at, type ConfigObject, type SnapshotView } from './snapshot-view.js';

/** The outcome of a check on one object (the evidence a finding names). */
export interface CheckResult {
  readonly resource: string;
  /** JSON pointer of the field judged, or null for the whole object. */
  readonly field: string | null;
  readonly expected: unknown;
  readonly actual: unknown;
  readonly ok: boolean;
  readonly detail: string;
}

/** The settings a customer baseline may change, per check (all optional, with these defaults). */
export interface CheckSettings {
  readonly maxSessionLifetimeMinutes: number;
  readonly maxSessionIdleMinutes: number;
  readonly minPasswordLength: number;
  readonly maxLockoutAttempts: number;
  readonly maxSuperAdmins: number;
  readonly weakAuthenticators: readonly string[];
  readonly phishingResistantAuthenticators: readonly string[];
}

export const DEFAULT_SETTINGS: CheckSettings = {
  // Okta's own maximum for new tenants since March 2025 (24 h), and DISA V-273186's 15 minutes.
  maxSessionLifetimeMinutes: 1440,
  maxSessionIdleMinutes: 15,
  // DISA V-273195 and V-273189.
  minPasswordLength: 15,
  maxLockoutAttempts: 3,
  // HealthInsight: "Limit the number of super admins".
  maxSuperAdmins: 3,
  // HealthInsight "strong factors": SMS/voice and security questions are not a second factor.
  weakAuthenticators: ['phone_number', 'security_question'],
  phishingResistantAuthenticators: ['webauthn', 'smart_card_idp', 'yubikey_token'],
};

export interface BaselineCheck {
  /** ScubaGear-style policy id: OKTA.<AREA>.<n>.<m>v<version>. */
  readonly id: string;
  readonly title: string;
  readonly requirement: 'SHALL' | 'SHOULD';
  readonly references: readonly string[];
  readonly fix: string;
  /** The configuration families it reads: a family the snapshot could not read fails the check. */
  readonly families: readonly string[];
  /** What an org with none of the objects the check looks at gets. */
  readonly whenNone: 'pass' | 'fail' | 'not-applicable';
  /** The resource named when there is nothing to point at. */
  readonly resource: string;
  evaluate(view: SnapshotView, settings: CheckSettings): CheckResult[];
}

const SUPPORT = '/api/v1/org/privacy/oktaSupport';

const result = (
  object: ConfigObject,
  field: string | null,
  expected: unknown,
  actual: unknown,
  ok: boolean,
  detail: string,
): CheckResult => ({ resource: object.path, field, expected, actual, ok, detail });

const label = (o: ConfigObject) => {
  const name = o.value['name'] ?? o.value['label'] ?? o.value['key'];
  return typeof name === 'string' ? `"${name}"` : o.path;
};

/** Active rules that let a sign-in through (access ALLOW), of every active policy of `type`. */
function allowingRules(view: SnapshotView, type: string, access: (rule: ConfigObject) => unknown) {
  return view
    .active(view.policies(type))
    .flatMap((policy) => view.active(view.rules(policy)).map((rule) => ({ policy, rule })))
    .filter(({ rule }) => access(rule) !== 'DENY');
}

const signOnAccess = (rule: ConfigObject) => at(rule.value, 'actions', 'signon', 'access');
const appSignOnAccess = (rule: ConfigObject) => at(rule.value, 'actions', 'appSignOn', 'access');

/**
 * The Okta Admin Console's authentication policy: the app Okta names `saasure`, whose
 * `_links.accessPolicy` points at an ACCESS_POLICY.
 */
function adminConsolePolicy(view: SnapshotView): ConfigObject | undefined {
  const app = view.objects(/^\/api\/v1\/apps\/[^/]+$/).find((a) => a.value['name'] === 'saasure');
  const href = at(app?.value, '_links', 'accessPolicy', 'href');
  if (typeof href !== 'string') return undefined;
  const id = href.split('/').at(-1);
  return id ? view.object(`/api/v1/policies/${id}`) : undefined;
}

const possession = (rule: ConfigObject) =>
  (at(rule.value, 'actions', 'appSignOn', 'verificationMethod', 'constraints') as unknown[] | undefined)?.map(
    (c) => at(c, 'possession'),
  ) ?? [];

/**
 * The default baseline, in our own words (docs/posture.md lists each with its source): DISA's Okta
 * IDaaS STIG where an API can answer, Okta HealthInsight's tasks, and the lessons of the 2022 and
 * 2023 breaches.
 */
export const BASELINE_CHECKS: readonly BaselineCheck[] = [
  {
    id: 'OKTA.SUPPORT.1.1v1',
    title: 'Okta Support access is off, or on only for a named case with an expiry',
    requirement: 'SHALL',
    references: ['Lapsus$ 2022', 'HAR file breach 2023'],
    fix: 'Security > General > Okta Support access: revoke, or grant only against a case number (it expires on its own).',
    families: ['support-access'],
    whenNone: 'fail',
    resource: SUPPORT,
    evaluate(view) {
      const support = view.object(SUPPORT);
      if (!support) return [];
      const state = support.value['support'];
      const expiration = support.value['expiration'];
      const caseNumber = support.value['caseNumber'];
      if (state === 'DISABLED')
        return [result(support, '/support', 'DISABLED', state, true, 'Okta Support cannot access the org')];
      const ok =
        state === 'ENABLED' &&
        typeof expiration === 'string' &&
        typeof caseNumber === 'string' &&
        caseNumber !== '';
      return [
        result(
          support,
          '/support',
          'DISABLED, or ENABLED with expiration and caseNumber',
          { support: state, expiration: expiration ?? null, caseNumber: caseNumber ?? null },
          ok,
          ok
            ? `Okta Support access is on for case ${String(caseNumber)} until ${String(expiration)}`
            : 'Okta Support access is on without a case number or an expiry',
        ),
      ];
    },
  },
  {
    id: 'OKTA.ADMIN.1.1v1',
    title: 'The Admin Console requires phishing-resistant multi-factor authentication',
    requirement: 'SHALL',
    references: [
      'STIG V-273191',
      'STIG V-273193',
      'HealthInsight: Enable MFA for Okta Administration access',
    ],
    fix: "Set the Okta Admin Console's authentication policy rules to 2FA with a phishing-resistant possession factor.",
    families: ['app', 'policy', 'policy-rule'],
    whenNone: 'fail',
    resource: '/api/v1/apps',
    evaluate(view) {
      const policy = adminConsolePolicy(view);
      if (!policy) return [];
      return view
        .active(view.rules(policy))
        .filter((rule) => appSignOnAccess(rule) !== 'DENY')
        .map((rule) => {
          const mode = at(rule.value, 'actions', 'appSignOn', 'verificationMethod', 'factorMode');
          const resistant = possession(rule).some((p) => at(p, 'phishingResistant') === 'REQUIRED');
          return result(
            rule,
            '/actions/appSignOn/verificationMethod',
            { factorMode: '2FA', phishingResistant: 'REQUIRED' },
            { factorMode: mode ?? null, phishingResistant: resistant ? 'REQUIRED' : null },
            mode === '2FA' && resistant,
            `Admin Console rule ${label(rule)}: ${String(mode ?? 'no factor mode')}${resistant ? ', phishing-resistant' : ', not phishing-resistant'}`,
          );
        });
    },
  },
  {
    id: 'OKTA.AUTH.1.1v1',
    title: 'No authentication policy lets anyone in with a single factor',
    requirement: 'SHALL',
    references: ['HealthInsight: Enable MFA', 'Okta 2024: no single-factor authentication policies'],
    fix: 'Set every allowing rule of every active authentication policy to 2FA.',
    families: ['policy', 'policy-rule'],
    whenNone: 'not-applicable',
    resource: '/api/v1/policies?type=ACCESS_POLICY',
    evaluate(view) {
      return allowingRules(view, 'ACCESS_POLICY', appSignOnAccess).map(({ policy, rule }) => {
        const mode = at(rule.value, 'actions', 'appSignOn', 'verificationMethod', 'factorMode');
        return result(
          rule,
          '/actions/appSignOn/verificationMethod/factorMode',
          '2FA',
          mode ?? null,
          mode === '2FA',
          `policy ${label(policy)} rule ${label(rule)} requires ${String(mode ?? 'no factor mode')}`,
        );
      });
    },
  },
  {
    id: 'OKTA.SESSION.1.1v1',
    title: 'Every global session rule has a finite session lifetime',
    requirement: 'SHALL',
    references: [
      'HealthInsight: Enforce a finite session lifetime',
      'Okta 2025: 24-hour global session maximum',
    ],
    fix: 'Set "Maximum Okta global session lifetime" on every global session policy rule.',
    families: ['policy', 'policy-rule'],
    whenNone: 'fail',
    resource: '/api/v1/policies?type=OKTA_SIGN_ON',
    evaluate(view, settings) {
      return allowingRules(view, 'OKTA_SIGN_ON', signOnAccess).map(({ policy, rule }) => {
        const lifetime = at(rule.value, 'actions', 'signon', 'session', 'maxSessionLifetimeMinutes');
        const ok =
          typeof lifetime === 'number' && lifetime > 0 && lifetime <= settings.maxSessionLifetimeMinutes;
        return result(
          rule,
          '/actions/signon/session/maxSessionLifetimeMinutes',
          `1..${settings.maxSessionLifetimeMinutes}`,
          lifetime ?? null,
          ok,
          `global session policy ${label(policy)} rule ${label(rule)}: lifetime ${lifetime === 0 ? 'unlimited' : String(lifetime ?? 'unset')} minutes`,
        );
      });
    },
  },
  {
    id: 'OKTA.SESSION.2.1v1',
    title: 'Global sessions end after a short idle time',
    requirement: 'SHOULD',
    references: ['STIG V-273186'],
    fix: 'Set "Maximum Okta global session idle time" to 15 minutes or less.',
    families: ['policy', 'policy-rule'],
    whenNone: 'fail',
    resource: '/api/v1/policies?type=OKTA_SIGN_ON',
    evaluate(view, settings) {
      return allowingRules(view, 'OKTA_SIGN_ON', signOnAccess).map(({ policy, rule }) => {
        const idle = at(rule.value, 'actions', 'signon', 'session', 'maxSessionIdleMinutes');
        return result(
          rule,
          '/actions/signon/session/maxSessionIdleMinutes',
          `1..${settings.maxSessionIdleMinutes}`,
          idle ?? null,
          typeof idle === 'number' && idle > 0 && idle <= settings.maxSessionIdleMinutes,
          `global session policy ${label(policy)} rule ${label(rule)}: idle ${String(idle ?? 'unset')} minutes`,
        );
      });
    },
  },
  {
    id: 'OKTA.SESSION.3.1v1',
    title: 'Global session rules that allow access require a second factor',
    requirement: 'SHALL',
    references: ['HealthInsight: Enable MFA', 'Cross-tenant impersonation 2023'],
    fix: 'Set "Multifactor authentication (MFA) is required" on every allowing global session rule.',
    families: ['policy', 'policy-rule'],
    whenNone: 'fail',
    resource: '/api/v1/policies?type=OKTA_SIGN_ON',
    evaluate(view) {
      return allowingRules(view, 'OKTA_SIGN_ON', signOnAccess).map(({ policy, rule }) => {
        const required = at(rule.value, 'actions', 'signon', 'requireFactor');
        return result(
          rule,
          '/actions/signon/requireFactor',
          true,
          required ?? null,
          required === true,
          `global session policy ${label(policy)} rule ${label(rule)} ${required === true ? 'requires' : 'does not require'} MFA`,
        );
      });
    },
  },
  {
    id: 'OKTA.AUTHN.1.1v1',
    title: 'Weak authenticators (SMS or voice, security questions) are off',
    requirement: 'SHALL',
    references: ['HealthInsight: Disable weak MFA factors', 'MFA reset social engineering 2023'],
    fix: 'Security > Authenticators: deactivate Phone and Security Question.',
    families: ['authenticator'],
    whenNone: 'pass',
    resource: '/api/v1/authenticators',
    evaluate(view, settings) {
      return view
        .authenticators()
        .filter((a) => settings.weakAuthenticators.includes(String(a.value['key'])))
        .map((a) =>
          result(
            a,
            '/status',
            'INACTIVE',
            a.value['status'] ?? null,
            a.value['status'] !== 'ACTIVE',
            `authenticator ${label(a)} is ${String(a.value['status'])}`,
          ),
        );
    },
  },
  {
    id: 'OKTA.AUTHN.2.1v1',
    title: 'A phishing-resistant authenticator is active',
    requirement: 'SHOULD',
    references: ['STIG V-273190', 'STIG V-273204', 'HealthInsight: strong factors'],
    fix: 'Security > Authenticators: activate FIDO2 (WebAuthn) or Smart Card.',
    families: ['authenticator'],
    whenNone: 'fail',
    resource: '/api/v1/authenticators',
    evaluate(view, settings) {
      const strong = view
        .authenticators()
        .filter((a) => settings.phishingResistantAuthenticators.includes(String(a.value['key'])));
      const active = strong.filter((a) => a.value['status'] === 'ACTIVE');
      if (strong.length === 0) return [];
      return [
        {
          resource: '/api/v1/authenticators',
          field: null,
          expected: `one of ${settings.phishingResistantAuthenticators.join(', ')} ACTIVE`,
          actual: active.map((a) => a.value['key']),
          ok: active.length > 0,
          detail:
            active.length > 0
              ? `active: ${active.map(label).join(', ')}`
              : 'no phishing-resistant authenticator is active',
        },
      ];
    },
  },
  {
    id: 'OKTA.PASSWORD.1.1v1',
    title: 'Passwords are long enough',
    requirement: 'SHOULD',
    references: ['STIG V-273195'],
    fix: 'Set the minimum length of every active password policy.',
    families: ['policy'],
    whenNone: 'fail',
    resource: '/api/v1/policies?type=PASSWORD',
    evaluate(view, settings) {
      return view.active(view.policies('PASSWORD')).map((p) => {
        const length = at(p.value, 'settings', 'password', 'complexity', 'minLength');
        return result(
          p,
          '/settings/password/complexity/minLength',
          `>= ${settings.minPasswordLength}`,
          length ?? null,
          typeof length === 'number' && length >= settings.minPasswordLength,
          `password policy ${label(p)}: minimum length ${String(length ?? 'unset')}`,
        );
      });
    },
  },
  {
    id: 'OKTA.PASSWORD.2.1v1',
    title: 'Accounts lock after a few failed sign-ins',
    requirement: 'SHALL',
    references: ['STIG V-273189', 'Password spraying'],
    fix: 'Set "Lock out user after N unsuccessful attempts" on every active password policy.',
    families: ['policy'],
    whenNone: 'fail',
    resource: '/api/v1/policies?type=PASSWORD',
    evaluate(view, settings) {
      return view.active(view.policies('PASSWORD')).map((p) => {
        const attempts = at(p.value, 'settings', 'password', 'lockout', 'maxAttempts');
        return result(
          p,
          '/settings/password/lockout/maxAttempts',
          `1..${settings.maxLockoutAttempts}`,
          attempts ?? null,
          typeof attempts === 'number' && attempts > 0 && attempts <= settings.maxLockoutAttempts,
          `password policy ${label(p)}: lockout after ${attempts === 0 ? 'never' : String(attempts ?? 'unset')} attempts`,
        );
      });
    },
  },
  {
    id: 'OKTA.THREAT.1.1v1',
    title: 'ThreatInsight blocks requests from suspicious IPs',
    requirement: 'SHALL',
    references: ['HealthInsight: Enable ThreatInsight to block suspicious IPs'],
    fix: 'Security > General > Okta ThreatInsight: "Log and block authentication attempts from malicious IPs".',
    families: ['threat-insight'],
    whenNone: 'fail',
    resource: '/api/v1/threats/configuration',
    evaluate(view) {
      const threats = view.object('/api/v1/threats/configuration');
      if (!threats) return [];
      const action = threats.value['action'];
      return [
        result(
          threats,
          '/action',
          'block',
          action ?? null,
          action === 'block',
          `ThreatInsight action is ${String(action)}`,
        ),
      ];
    },
  },
  {
    id: 'OKTA.TOKEN.1.1v1',
    title: 'API tokens are usable only from declared network zones',
    requirement: 'SHALL',
    references: ['STIG V-279689', 'HAR file breach 2023'],
    fix: 'Security > API > Tokens: restrict each token to a network zone.',
    families: ['api-token'],
    whenNone: 'pass',
    resource: '/api/v1/api-tokens',
    evaluate(view) {
      return view.objects(/^\/api\/v1\/api-tokens\/[^/]+$/).map((t) => {
        const connection = at(t.value, 'network', 'connection');
        const ok = connection === 'ZONE' || (typeof connection === 'string' && connection !== 'ANYWHERE');
        return result(
          t,
          '/network/connection',
          'ZONE',
          connection ?? null,
          ok,
          `API token ${label(t)} ${ok ? 'is restricted to zones' : 'works from anywhere'}`,
        );
      });
    },
  },
  {
    id: 'OKTA.ADMIN.2.1v1',
    title: 'Few super administrators',
    requirement: 'SHOULD',
    references: ['HealthInsight: Limit the number of super admins', 'Lapsus$ 2022'],
    fix: 'Remove the Super Administrator role from all but a few break-glass accounts.',
    families: ['user-role', 'group-role'],
    whenNone: 'fail',
    resource: '/api/v1/iam/assignees/users',
    evaluate(view, settings) {
      const supers = view.roleAssignments().filter((r) => r.value['type'] === 'SUPER_ADMIN');
      if (supers.length === 0) return [];
      const holders = supers.map((r) => view.assignee(r.path)).map((a) => a.name ?? a.id);
      return [
        {
          resource: '/api/v1/iam/assignees/users',
          field: null,
          expected: `<= ${settings.maxSuperAdmins}`,
          actual: holders,
          ok: supers.length <= settings.maxSuperAdmins,
          detail: `${supers.length} super admin assignment(s): ${holders.join(', ')}`,
        },
      ];
    },
  },
  {
    id: 'OKTA.LOG.1.1v1',
    title: 'Log streams and event hooks are active',
    requirement: 'SHALL',
    references: ['STIG V-273202', 'An attacker disabling export is itself a signal'],
    fix: 'Reactivate the log stream or event hook, and find out who deactivated it.',
    families: ['log-stream', 'event-hook'],
    whenNone: 'pass',
    resource: '/api/v1/logStreams',
    evaluate(view) {
      return view
        .objects(/^\/api\/v1\/(logStreams|eventHooks)\/[^/]+$/)
        .map((o) =>
          result(
            o,
            '/status',
            'ACTIVE',
            o.value['status'] ?? null,
            o.value['status'] === 'ACTIVE',
            `${o.path.includes('logStreams') ? 'log stream' : 'event hook'} ${label(o)} is ${String(o.value['status'])}`,
          ),
        );
    },
  },
];
