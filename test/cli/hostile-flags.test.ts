import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { preparePage } from '../../src/custody/prepared-page.js';
import { OKTA_PAGE_FORMAT } from '../../src/sources/okta/okta-page-format.js';
import { oktaEvent, oktaUser, signIn } from '../support/okta-events.js';
import { openTestCustody } from '../support/open-custody.js';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from './cli-harness.js';

const clock = new ManualClock('2026-03-10T12:00:00Z');
const ESC = '\x1b';
const events = [
  signIn('ann'),
  signIn('bob', { result: 'FAILURE' }),
  oktaEvent({ displayMessage: 'discount 100% off', actor: oktaUser('cat') }),
  // A provider field carrying terminal escapes: clear screen, set the window title, red text.
  oktaEvent({ actor: { ...oktaUser('dan'), alternateId: `${ESC}[2J${ESC}]0;pwned\x07${ESC}[31mdan` } }),
];
const raws = events.map((e) => JSON.stringify(e));
let data: string;

beforeAll(async () => {
  data = tempDir('vigil-hostile-flags-');
  const w = await openTestCustody(data, clock);
  await w.custody.ingest('okta', preparePage(OKTA_PAGE_FORMAT, 'okta', `[${raws.join(',')}]`), {
    nextUrl: 'n1',
    highWaterMs: null,
  });
  await w.custody.checkpointIfDue('okta', { endOfRun: true });
  await w.close();
});

const vigil = (...args: string[]) => runVigil(['--data', data, ...args], { clock });
const count = (stdout: string) => Number(/(\d+) event\(s\)/.exec(stdout)?.[1]);

/** A coded input error: exit 2, the code named, no stack trace. */
function expectInputError(r: { code: number; stderr: string }, code: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(`[${code}]`);
  expect(r.stderr).not.toContain('unexpected error');
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('hostile flags', () => {
  it('--limit beyond any integer a number holds is a coded input error', async () => {
    expectInputError(await vigil('events', '--limit', '99999999999999999999'), 'CLI_BAD_NUMBER');
    expectInputError(await vigil('events', '--limit', '1e3'), 'CLI_BAD_NUMBER');
    expectInputError(await vigil('alerts', '--limit', '99999999999999999999'), 'CLI_BAD_NUMBER');
    expect(count((await vigil('events', '--limit', '2')).stdout)).toBe(2);
  });

  it.each(['1', '2026', '2026-03-10T12:00:00', 'March 10, 2026', '2026-02-31', '2026-03-10T25:00:00Z'])(
    '--from %s is refused, not guessed',
    async (value) => {
      const r = await vigil('events', '--from', value);
      expectInputError(r, 'CLI_BAD_DATE');
      expect(r.stderr).toContain(`--from: '${value}'`);
    },
  );

  it('accepts RFC 3339 with an offset and a plain date (UTC)', async () => {
    expect((await vigil('events', '--from', '2026-03-10T08:00:00-01:00')).code).toBe(0);
    const r = await vigil('events', '--from', '2026-03-10', '--to', '2026-03-11');
    expect(count(r.stdout)).toBe(events.length);
    expect(count((await vigil('events', '--from', '2026-03-11')).stdout)).toBe(0);
  });

  it('--text % and _ are literal characters, not LIKE wildcards', async () => {
    expect(count((await vigil('events', '--text', '%')).stdout)).toBe(1);
    // As a wildcard, `an_` would match "ann"; taken literally it matches nothing stored.
    expect(raws.filter((r) => r.includes('ann')).length).toBeGreaterThan(0);
    expect(count((await vigil('events', '--text', 'an_')).stdout)).toBe(0);
    expect(count((await vigil('events', '--text', 'INVALID_CRED')).stdout)).toBe(1);
    expect(count((await vigil('events', '--target', '%')).stdout)).toBe(0);
  });

  it('the events table strips terminal escapes from provider fields', async () => {
    const r = await vigil('events');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(ESC);
    expect(r.stdout).not.toContain('\x07');
    expect(r.stdout).toContain('dan');
  });
});

describe('export --out', () => {
  it('writes a bundle only the owner can read (folders 0700, files 0600)', async () => {
    const out = path.join(tempDir('vigil-out-'), 'bundle');
    const r = await vigil('export', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(out, 'proofs')).mode & 0o777).toBe(0o700);
    const files = [
      ...readdirSync(out).filter((n) => n !== 'proofs'),
      ...readdirSync(path.join(out, 'proofs')).map((n) => path.join('proofs', n)),
    ];
    expect(files.length).toBeGreaterThan(events.length);
    for (const f of files) expect(statSync(path.join(out, f)).mode & 0o777, f).toBe(0o600);
  });

  it('onto an existing file is a coded input error naming it', async () => {
    const file = path.join(tempDir('vigil-out-'), 'a-file');
    writeFileSync(file, 'keep me');
    const r = await vigil('export', '--out', file);
    expectInputError(r, 'CLI_OUT_NOT_DIRECTORY');
    expect(r.stderr).toContain(file);
  });

  it('inside a file of an earlier bundle (proofs/N.tlog-proof/x) is a coded input error', async () => {
    const first = path.join(tempDir('vigil-out-'), 'bundle');
    expect((await vigil('export', '--out', first)).code).toBe(0);
    const proof = readdirSync(path.join(first, 'proofs'))[0]!;
    const r = await vigil('export', '--out', path.join(first, 'proofs', proof, 'x'));
    expectInputError(r, 'CLI_OUT_UNWRITABLE');
    expectInputError(await vigil('export', '--out', path.join(first, 'proofs')), 'CLI_OUT_NOT_EMPTY');
  });
});
