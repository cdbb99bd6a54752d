import type { Random } from '../../core/seeded-random.js';
import { ipIn, oktaId } from './okta-ids.js';
import { PLACES, type Place } from './places.js';

/** A browser or app a person signs in with; `os`/`browser` are Okta's parsed values. */
export interface SimDevice {
  readonly rawUserAgent: string;
  readonly os: string;
  readonly browser: string;
  readonly kind: 'Computer' | 'Mobile';
  readonly fingerprint: string;
}

export interface SimUser {
  readonly id: string;
  readonly login: string;
  readonly displayName: string;
  readonly home: Place;
  /** The addresses this person usually comes from (home and office). */
  readonly ips: readonly string[];
  readonly devices: readonly SimDevice[];
  readonly isAdmin: boolean;
  readonly passwordEnrollmentId: string;
  readonly oktaVerifyEnrollmentId: string;
}

export interface SimApp {
  readonly id: string;
  readonly label: string;
}

/** The seeded organisation every event is drawn from. */
export interface SimOrg {
  readonly domain: string;
  readonly users: readonly SimUser[];
  readonly admins: readonly SimUser[];
  readonly apps: readonly SimApp[];
  readonly adminConsole: SimApp;
  readonly dashboard: SimApp;
  readonly groups: readonly { id: string; name: string }[];
  readonly signOnPolicy: { id: string; name: string; ruleId: string; ruleName: string };
  /** The Admin Console's authentication policy and its admin rule (the configuration model seeds them). */
  readonly adminConsolePolicy: { id: string; name: string; ruleId: string; ruleName: string };
  readonly systemPrincipalId: string;
}

const FIRST = [
  'Ada',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kara',
  'Liam',
  'Maya',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sam',
  'Tariq',
  'Uma',
  'Viktor',
  'Wen',
  'Yara',
  'Zoe',
];
const LAST = [
  'Abbott',
  'Baker',
  'Chen',
  'Diaz',
  'Evans',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Meyer',
  'Nakamura',
  'Okafor',
  'Patel',
  'Rossi',
  'Silva',
  'Tanaka',
  'Novak',
];

const DEVICES: readonly Omit<SimDevice, 'fingerprint'>[] = [
  {
    rawUserAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36',
    os: 'Mac OS X',
    browser: 'CHROME',
    kind: 'Computer',
  },
  {
    rawUserAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36',
    os: 'Windows 10',
    browser: 'CHROME',
    kind: 'Computer',
  },
  {
    rawUserAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36 Edg/128.0.0.0',
    os: 'Windows 10',
    browser: 'EDGE_CHROMIUM',
    kind: 'Computer',
  },
  {
    rawUserAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
    os: 'Mac OS X',
    browser: 'SAFARI',
    kind: 'Computer',
  },
  {
    rawUserAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0',
    os: 'Linux',
    browser: 'FIREFOX',
    kind: 'Computer',
  },
  {
    rawUserAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
    os: 'iOS',
    browser: 'MOBILE_SAFARI',
    kind: 'Mobile',
  },
  {
    rawUserAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Mobile Safari/537.36',
    os: 'Android',
    browser: 'CHROME',
    kind: 'Mobile',
  },
];

const APPS = ['Slack', 'Google Workspace', 'Salesforce', 'GitHub', 'Zoom', 'Jira', 'AWS Console', 'Workday'];

/** Builds the organisation deterministically from the seed: the same seed, the same people. */
export function buildSimOrg(random: Random, userCount: number, domain = 'example.com'): SimOrg {
  const r = random.fork('org');
  const used = new Set<string>();
  const users: SimUser[] = [];
  for (let i = 0; i < userCount; i++) {
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    let login = `${first}.${last}`.toLowerCase();
    for (let n = 2; used.has(login); n++) login = `${first}.${last}${n}`.toLowerCase();
    used.add(login);
    const home = r.weighted(PLACES.map((p, k) => [p, k < 5 ? 4 : 1] as const));
    const devices = [r.pick(DEVICES.slice(0, 5)), r.pick(DEVICES.slice(5))].map((d) => ({
      ...d,
      fingerprint: r.hex(32),
    }));
    users.push({
      id: oktaId(r, '00u'),
      login: `${login}@${domain}`,
      displayName: `${first} ${last}`,
      home,
      ips: [ipIn(r, home.ipPrefix), ipIn(r, home.ipPrefix)],
      devices,
      isAdmin: i < Math.max(1, Math.round(userCount * 0.02)),
      passwordEnrollmentId: oktaId(r, 'lae'),
      oktaVerifyEnrollmentId: oktaId(r, 'lae'),
    });
  }
  return {
    domain,
    users,
    admins: users.filter((u) => u.isAdmin),
    apps: APPS.map((label) => ({ id: oktaId(r, '0oa'), label })),
    adminConsole: { id: oktaId(r, '0oa'), label: 'Okta Admin Console' },
    dashboard: { id: oktaId(r, '0oa'), label: 'Okta Dashboard' },
    groups: ['Engineering', 'Sales', 'Finance', 'Everyone'].map((name) => ({ id: oktaId(r, '00g'), name })),
    signOnPolicy: {
      id: oktaId(r, '00p'),
      name: 'Default Policy',
      ruleId: oktaId(r, '0pr'),
      ruleName: 'Default Rule',
    },
    systemPrincipalId: oktaId(r, 'spr'),
    // Drawn last, so every id above stays what it was before the configuration model existed.
    adminConsolePolicy: {
      id: oktaId(r, 'rst'),
      name: 'Okta Admin Console',
      ruleId: oktaId(r, 'rul'),
      ruleName: 'Admin MFA',
    },
  };
}
