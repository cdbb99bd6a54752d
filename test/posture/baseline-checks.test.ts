import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASELINE_CHECKS } from '../../src/posture/baseline/baseline-checks.js';
import { DEFAULT_BASELINE, loadBaseline, type Baseline } from '../../src/posture/baseline/baseline-file.js';
import { evaluateBaseline } from '../../src/posture/baseline/evaluate-baseline.js';
import { SnapshotView } from '../../src/posture/baseline/snapshot-view.js';
import type { ConfigSnapshot } from '../../src/posture/config-snapshot.js';
import type { PostureFinding } from '../../src/posture/posture-finding.js';
import { expectCode } from '../support/expect-code.js';
import { tempDir } from '../support/temp-dir.js';

type Objects = Record<string, Record<string, unknown>>;

/** An org that passes every built-in check, in Okta's shapes. */
function goodOrg(): Objects {
  return {
    '/api/v1/org/privacy/oktaSupport': { support: 'DISABLED', expiration: null },
    '/api/v1/apps/0oaadmin': {
      id: '0oaadmin',
      name: 'saasure',
      label: 'Okta Admin Console',
      status: 'ACTIVE',
      _links: { accessPolicy: { href: 'https://acme.okta.com/api/v1/policies/rstadmin' } },
    },
    '/api/v1/policies/rstadmin': {
      id: 'rstadmin',
      type: 'ACCESS_POLICY',
      name: 'Okta Admin Console',
      status: 'ACTIVE',
    },
    '/api/v1/policies/rstadmin/rules/0pradmin': {
      id: '0pradmin',
      name: 'Admins',
      status: 'ACTIVE',
      actions: {
        appSignOn: {
          access: 'ALLOW',
          verificationMethod: {
            type: 'ASSURANCE',
            factorMode: '2FA',
            constraints: [{ possession: { phishingResistant: 'REQUIRED' } }],
          },
        },
      },
    },
    '/api/v1/policies/00psignon': {
      id: '00psignon',
      type: 'OKTA_SIGN_ON',
      name: 'Default Policy',
      status: 'ACTIVE',
    },
    '/api/v1/policies/00psignon/rules/0prsignon': {
      id: '0prsignon',
      name: 'Everyone',
      status: 'ACTIVE',
      actions: {
        signon: {
          access: 'ALLOW',
          requireFactor: true,
          session: { maxSessionIdleMinutes: 15, maxSessionLifetimeMinutes: 720 },
        },
      },
    },
    '/api/v1/policies/00ppassword': {
      id: '00ppassword',
      type: 'PASSWORD',
      name: 'Default',
      status: 'ACTIVE',
      settings: { password: { complexity: { minLength: 15 }, lockout: { maxAttempts: 3 } } },
    },
    '/api/v1/authenticators/autwebauthn': {
      id: 'autwebauthn',
      key: 'webauthn',
      name: 'Security Key or Biometric',
      status: 'ACTIVE',
    },
    '/api/v1/authenticators/autphone': {
      id: 'autphone',
      key: 'phone_number',
      name: 'Phone',
      status: 'INACTIVE',
    },
    '/api/v1/threats/configuration': { action: 'block', excludeZones: [] },
    '/api/v1/api-tokens/00Ttoken': {
      id: '00Ttoken',
      name: 'SIEM',
      network: { connection: 'ZONE', include: ['nzoA'] },
    },
    '/api/v1/users/00uadmin/roles/irbsuper': {
      id: 'irbsuper',
      type: 'SUPER_ADMIN',
      status: 'ACTIVE',
      assignmentType: 'USER',
    },
    '/api/v1/logStreams/0Ssplunk': { id: '0Ssplunk', name: 'Splunk', status: 'ACTIVE' },
    '/api/v1/eventHooks/whkhook': { id: 'whkhook', name: 'SOAR', status: 'ACTIVE' },
    '/api/v1/idps/0oaidp': { id: '0oaidp', name: 'Corporate SAML', status: 'ACTIVE' },
    '/api/v1/zones/nzoA': { id: 'nzoA', name: 'Offices', type: 'IP', status: 'ACTIVE' },
  };
}

const snapshot = (objects: Objects, incomplete: ConfigSnapshot['incomplete'] = []): ConfigSnapshot => ({
  v: 1,
  source: 'okta',
  takenAt: '2026-03-10T12:00:00.000Z',
  startedAt: '2026-03-10T11:59:00.000Z',
  objects,
  incomplete,
});

const results = (
  objects: Objects,
  baseline: Baseline = DEFAULT_BASELINE,
  incomplete: ConfigSnapshot['incomplete'] = [],
) => evaluateBaseline(new SnapshotView(snapshot(objects, incomplete)), baseline);

const of = (findings: PostureFinding[], id: string) => findings.filter((f) => f.check === id);

/** Each check's failing org: the good org with one thing broken. */
const BREAK: Record<string, (o: Objects) => void> = {
  'OKTA.SUPPORT.1.1v1': (o) =>
    (o['/api/v1/org/privacy/oktaSupport'] = { support: 'ENABLED', expiration: null }),
  'OKTA.ADMIN.1.1v1': (o) => {
    const rule = o['/api/v1/policies/rstadmin/rules/0pradmin']!;
    (
      rule['actions'] as { appSignOn: { verificationMethod: { constraints: unknown[] } } }
    ).appSignOn.verificationMethod.constraints = [];
  },
  'OKTA.AUTH.1.1v1': (o) => {
    const rule = o['/api/v1/policies/rstadmin/rules/0pradmin']!;
    (
      rule['actions'] as { appSignOn: { verificationMethod: { factorMode: string } } }
    ).appSignOn.verificationMethod.factorMode = '1FA';
  },
  'OKTA.SESSION.1.1v1': (o) => (signon(o).session.maxSessionLifetimeMinutes = 0),
  'OKTA.SESSION.2.1v1': (o) => (signon(o).session.maxSessionIdleMinutes = 120),
  'OKTA.SESSION.3.1v1': (o) => (signon(o).requireFactor = false),
  'OKTA.AUTHN.1.1v1': (o) => (o['/api/v1/authenticators/autphone']!['status'] = 'ACTIVE'),
  'OKTA.AUTHN.2.1v1': (o) => (o['/api/v1/authenticators/autwebauthn']!['status'] = 'INACTIVE'),
  'OKTA.PASSWORD.1.1v1': (o) => (password(o).complexity.minLength = 8),
  'OKTA.PASSWORD.2.1v1': (o) => (password(o).lockout.maxAttempts = 10),
  'OKTA.THREAT.1.1v1': (o) => (o['/api/v1/threats/configuration']!['action'] = 'audit'),
  'OKTA.TOKEN.1.1v1': (o) => (o['/api/v1/api-tokens/00Ttoken']!['network'] = { connection: 'ANYWHERE' }),
  'OKTA.ADMIN.2.1v1': (o) => {
    for (const n of [1, 2, 3])
      o[`/api/v1/users/00u${n}/roles/irb${n}`] = {
        id: `irb${n}`,
        type: 'SUPER_ADMIN',
        status: 'ACTIVE',
        assignmentType: 'USER',
      };
  },
  'OKTA.LOG.1.1v1': (o) => (o['/api/v1/logStreams/0Ssplunk']!['status'] = 'INACTIVE'),
};

function signon(o: Objects) {
  return (
    o['/api/v1/policies/00psignon/rules/0prsignon']!['actions'] as {
      signon: Record<string, unknown> & { session: Record<string, unknown> };
    }
  ).signon;
}
function password(o: Objects) {
  return (
    o['/api/v1/policies/00ppassword']!['settings'] as {
      password: { complexity: Record<string, unknown>; lockout: Record<string, unknown> };
    }
  ).password;
}

describe('the built-in baseline', () => {
  it('has a failing org for every check, and the good org passes them all', () => {
    expect(Object.keys(BREAK).sort()).toEqual(BASELINE_CHECKS.map((c) => c.id).sort());
    const good = results(goodOrg());
    for (const check of BASELINE_CHECKS) {
      const found = of(good, check.id);
      expect(found.length, check.id).toBeGreaterThan(0);
      expect(
        found.map((f) => [f.status, f.detail]),
        check.id,
      ).toEqual(found.map((f) => ['pass', f.detail]));
    }
  });

  for (const check of BASELINE_CHECKS)
    it(`${check.id} fails (${check.requirement === 'SHALL' ? 'fail' : 'warn'}) on its failing org, naming the evidence`, () => {
      const org = goodOrg();
      BREAK[check.id]!(org);
      const found = of(results(org), check.id);
      const failed = found.filter((f) => f.status !== 'pass');
      expect(failed.length, JSON.stringify(found)).toBeGreaterThan(0);
      for (const f of failed) {
        expect(f.status).toBe(check.requirement === 'SHALL' ? 'fail' : 'warn');
        expect(f.resource).toMatch(/^\/api\/v1\//);
      }
      // Every other check still passes: each failing org breaks one thing only.
      const others = results(org).filter(
        (f) => f.kind === 'baseline' && f.check !== check.id && f.status !== 'pass',
      );
      expect(
        others
          .map((f) => f.check)
          .filter((id) => !(check.id === 'OKTA.ADMIN.1.1v1' && id === 'OKTA.AUTH.1.1v1')),
      ).toEqual(check.id === 'OKTA.AUTH.1.1v1' ? ['OKTA.ADMIN.1.1v1'] : []);
    });

  it('fails closed: a family the snapshot could not read, or nothing to judge, is a failure', () => {
    const unread = results(goodOrg(), DEFAULT_BASELINE, [{ family: 'threat-insight', reason: 'HTTP 403' }]);
    expect(of(unread, 'OKTA.THREAT.1.1v1').map((f) => f.status)).toEqual(['fail']);
    const empty = results({});
    for (const id of ['OKTA.SUPPORT.1.1v1', 'OKTA.SESSION.1.1v1', 'OKTA.THREAT.1.1v1', 'OKTA.ADMIN.1.1v1'])
      expect(
        of(empty, id).map((f) => f.status),
        id,
      ).toEqual(['fail']);
  });

  it('a customer baseline turns checks off, changes settings and declares allow-lists', () => {
    const dir = tempDir('vigil-baseline-');
    const file = path.join(dir, 'baseline.yaml');
    writeFileSync(
      file,
      [
        'checks:',
        '  OKTA.PASSWORD.1.1v1: { enabled: false, reason: passphrases are checked by the IdP }',
        'settings:',
        '  maxSessionIdleMinutes: 120',
        'allow:',
        '  superAdmins: [00uadmin]',
        '  identityProviders: []',
        '  apiTokens: [SIEM]',
      ].join('\n'),
    );
    const baseline = loadBaseline(file);
    const org = goodOrg();
    signon(org).session.maxSessionIdleMinutes = 120;
    password(org).complexity.minLength = 8;
    addSuperAdmin(org);
    const found = results(org, baseline);
    expect(of(found, 'OKTA.PASSWORD.1.1v1').map((f) => f.status)).toEqual(['not-applicable']);
    expect(of(found, 'OKTA.SESSION.2.1v1').map((f) => f.status)).toEqual(['pass']);
    const allow = found.filter((f) => f.kind === 'allow-list');
    expect(allow.map((f) => [f.title, f.resource, f.status])).toEqual([
      ['Super administrators are the declared ones', '/api/v1/users/00uadmin/roles/irbsuper', 'pass'],
      ['Super administrators are the declared ones', '/api/v1/users/00unew/roles/irbnew', 'fail'],
      ['Identity providers are the declared ones', '/api/v1/idps/0oaidp', 'fail'],
      ['API tokens are the declared ones', '/api/v1/api-tokens/00Ttoken', 'pass'],
    ]);
  });

  it('names every problem of a bad baseline file with its line', () => {
    const dir = tempDir('vigil-baseline-');
    const file = path.join(dir, 'baseline.yaml');
    writeFileSync(
      file,
      'checks:\n  OKTA.NOSUCH.1.1v1: {}\nsettings:\n  maxSuperAdmins: -1\nallow:\n  apps: 3\n',
    );
    const error = expectCode(() => loadBaseline(file), 'POSTURE_BASELINE_INVALID');
    for (const line of [2, 4, 6]) expect(error.message).toContain(`${file}:${line}:`);
    writeFileSync(file, 'checks: [\n');
    expect(expectCode(() => loadBaseline(file), 'POSTURE_BASELINE_INVALID').message).toContain(`${file}:`);
  });
});

function addSuperAdmin(o: Objects) {
  o['/api/v1/users/00unew/roles/irbnew'] = {
    id: 'irbnew',
    type: 'SUPER_ADMIN',
    status: 'ACTIVE',
    assignmentType: 'USER',
  };
}
