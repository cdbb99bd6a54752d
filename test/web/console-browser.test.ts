import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { Runtime } from '../../src/runtime/runtime.js';
import { buildConsoleApp } from '../../src/server/app.js';
import { consoleSealKey } from '../../src/server/auth/auth-plugin.js';
import { ConsoleAuth } from '../../src/server/auth/console-auth.js';
import type { Role } from '../../src/server/auth/principal.js';
import { totpCode } from '../../src/sources/totp.js';
import type { FastifyInstance } from 'fastify';
import { demoDataDir } from '../server/console-world.js';

/**
 * The console in a real browser (issue 18 "Tests"): Debian's Chromium driven by playwright-core over
 * the demo's store. Sign-in with a passkey through Chromium's virtual authenticator and with TOTP,
 * triage, search, reveal (and find it in the audit log), a viewer refused a reveal, screenshots of
 * the main pages in test-output/screenshots/, and no console errors on any page.
 */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve('test-output/screenshots');

let runtime: Runtime;
let app: FastifyInstance;
let auth: ConsoleAuth;
let browser: Browser;
let origin: string;
// The server's clock: real time at the start (cookies and WebAuthn see the browser's clock), moved
// on by hand so that each TOTP code falls in a step of its own.
const clock = new ManualClock(new Date(Math.floor(Date.now() / 1000) * 1000).toISOString());
/** Console errors and page errors, per page, checked after every test. */
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: the browser tests need Debian's chromium package (apt-get install chromium; .ci/run installs it)`,
    );
  const dataDir = await demoDataDir();
  runtime = await Runtime.open({ dataDir, access: 'write', env: {}, clock });
  // WebAuthn needs a domain for its relying party, not an IP address: the console is reached as
  // localhost, which Chromium maps to the loopback address the server listens on.
  const probe = await buildConsoleApp({ runtime, origin: 'http://localhost:1', secure: false });
  await probe.listen({ port: 0, host: '127.0.0.1' });
  const port = (probe.server.address() as { port: number }).port;
  await probe.close();
  origin = `http://localhost:${port}`;
  app = await buildConsoleApp({ runtime, origin, secure: false });
  await app.listen({ port, host: '127.0.0.1' });
  auth = new ConsoleAuth({
    store: runtime.store,
    clock,
    audit: runtime.auditLog(),
    origin,
    secure: false,
    rpName: 'Vigil',
    sealKey: consoleSealKey(runtime),
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP localhost 127.0.0.1',
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await runtime?.close();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: origin });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  return { context, page };
}

/** A console account with a one-time enrolment link, as `vigil user add` makes them. */
async function enrolment(name: string, role: Role): Promise<string> {
  const user = await auth.accounts.add(name, role);
  const { token } = await auth.enrolments.create(user.id);
  return `/enrol/${token}`;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs `name` in with TOTP through the sign-in page (the clock moved to a fresh step first). */
async function totpSignIn(page: Page, name: string, secret: string): Promise<void> {
  clock.advance(60_000);
  await page.goto('/sign-in');
  const form = page.locator('form[action="/sign-in/totp"]');
  await form.locator('input[name="name"]').fill(name);
  await form.locator('input[name="code"]').fill(totpCode(secret, clock.now()));
  await Promise.all([page.waitForURL(`${origin}/`), form.locator('button[type="submit"]').click()]);
}

/** Enrols `name` with TOTP (the secret read off the enrolment page) and returns the secret. */
async function totpEnrol(page: Page, name: string, role: Role): Promise<string> {
  await page.goto(await enrolment(name, role));
  const secret = (await page.locator('#totp-secret').textContent())!.trim();
  await page.locator(`form[action$="/totp"] input[name="code"]`).fill(totpCode(secret, clock.now()));
  await Promise.all([page.waitForLoadState(), page.locator('form[action$="/totp"] button').click()]);
  await shot(page, `enrolled-${name}`);
  await expect.poll(() => page.locator('#recovery-codes li').count()).toBeGreaterThan(0);
  return secret;
}

describe('the console in Chromium', () => {
  let adminPage: Page;
  let analystPage: Page;
  let analystSecret: string;

  it('enrols an admin with a passkey in the virtual authenticator, signs in with it, and shows the main pages', async () => {
    const { context, page } = await newPage();
    adminPage = page;
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await page.goto(await enrolment('adam', 'admin'));
    await page.locator('#passkey-enrol').click();
    await expect.poll(() => page.locator('#recovery-codes li').count()).toBeGreaterThan(0);
    // Signed out, then in again with the passkey alone.
    await context.clearCookies();
    const signedOut = await page.goto('/');
    expect(signedOut?.status()).toBe(401);
    await page.waitForURL(/\/sign-in/);
    // The browser logs that 401 (the page sending it to sign in) as a console error: expected here.
    expect(problems.splice(0)).toEqual([expect.stringContaining('status of 401')]);
    await Promise.all([page.waitForURL(`${origin}/`), page.locator('#passkey-sign-in').click()]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Overview');
    await expect(page.locator('.whoami').textContent()).resolves.toContain('adam (admin)');
    await shot(page, 'overview');
    for (const [url, name] of [
      ['/alerts', 'alerts'],
      ['/events?type=user.session.start', 'events'],
      ['/custody', 'custody'],
      ['/posture', 'posture'],
      ['/canaries', 'canaries'],
      ['/settings', 'settings'],
      ['/audit', 'audit'],
    ] as const) {
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(200);
      await shot(page, name);
    }
    await page.goto('/alerts?sort=severity');
    await page.locator('table.grid tbody a').first().click();
    await page.waitForURL(/\/alerts\/[^/]+$/);
    await shot(page, 'alert');
    await page.goto('/events?type=user.session.start');
    await page.locator('table.grid tbody a').first().click();
    await page.waitForURL(/\/events\/[^/]+\/[^/]+$/);
    await expect(page.locator('pre.proof').first().textContent()).resolves.toContain('"leafIndex"');
    await shot(page, 'event');
    expect(problems).toEqual([]);
  });

  it('enrols an analyst with TOTP, signs in with a code, and triages an alert from the demo data', async () => {
    const { page } = await newPage();
    analystPage = page;
    analystSecret = await totpEnrol(page, 'anna', 'analyst');
    await page.context().clearCookies();
    await totpSignIn(page, 'anna', analystSecret);
    await page.goto('/alerts?status=open&sort=severity');
    const first = page.locator('table.grid tbody tr a').first();
    const title = await first.textContent();
    await first.click();
    await page.waitForURL(/\/alerts\/[^/]+$/);
    await expect(page.locator('h1').textContent()).resolves.toContain(title!);
    await expect(page.locator('.alert-status').textContent()).resolves.toBe('open');
    const triage = page.locator('form.triage');
    await triage.locator('select[name="action"]').selectOption('acknowledge');
    await triage.locator('input[name="note"]').fill('taking this one');
    await Promise.all([page.waitForEvent('load'), triage.locator('button[type="submit"]').click()]);
    await expect(page.locator('.alert-status').textContent()).resolves.toBe('acknowledged');
    await expect(page.locator('#history ~ ol').textContent()).resolves.toContain(
      'anna: open → acknowledged (taking this one)',
    );
    await shot(page, 'alert-triaged');
    expect(problems).toEqual([]);
  });

  it('searches events, follows an actor by token, and reveals one value with a reason that the admin finds in the audit log', async () => {
    const page = analystPage;
    await page.goto('/events');
    await page.locator('input[name="type"]').fill('user.session.start');
    await Promise.all([
      page.waitForURL(/type=user\.session\.start/),
      page.locator('form.filters button').click(),
    ]);
    const rows = page.locator('table.grid tbody tr');
    expect(await rows.count()).toBeGreaterThan(5);
    const token = (await rows.first().locator('.token code').first().textContent())!;
    expect(token).toMatch(/^user:[0-9a-f]{16}$/);
    await Promise.all([page.waitForURL(/actor=user/), rows.first().locator('a.follow').first().click()]);
    const actors = await page.locator('table.grid tbody tr td:nth-child(3) .token code').allTextContents();
    expect(actors.length).toBeGreaterThan(0);
    expect(new Set(actors)).toEqual(new Set([token]));
    await shot(page, 'events-by-actor');
    // Reveal: the browser asks why; the value replaces the token; the audit log has who, where and why.
    page.once('dialog', (dialog) => void dialog.accept('calling the user about this sign-in'));
    await page.locator('button.reveal').first().click();
    const revealed = page.locator('.revealed').first();
    await expect.poll(() => revealed.count()).toBe(1);
    expect(await revealed.textContent()).toContain('@');
    await adminPage.goto('/audit?action=console.reveal');
    const row = adminPage.locator('table.audit tbody tr').first();
    await expect(row.textContent()).resolves.toContain('calling the user about this sign-in');
    await expect(row.textContent()).resolves.toContain('anna');
    await expect(row.textContent()).resolves.toContain(token);
    expect(await row.textContent()).not.toContain((await revealed.textContent())!);
    await shot(adminPage, 'audit-reveal');
    expect(problems).toEqual([]);
  });

  it('shows a viewer tokens without a reveal button, and the server refuses a viewer who asks anyway', async () => {
    const { page } = await newPage();
    const secret = await totpEnrol(page, 'vera', 'viewer');
    await page.context().clearCookies();
    await totpSignIn(page, 'vera', secret);
    await page.goto('/events?type=user.session.start');
    expect(await page.locator('.token code').count()).toBeGreaterThan(0);
    expect(await page.locator('button.reveal').count()).toBe(0);
    await expect(page.locator('nav').textContent()).resolves.not.toContain('Audit log');
    const href = (await page.locator('table.grid tbody tr a').first().getAttribute('href'))!;
    const [, , source, id] = href.split('/');
    const token = (await page.locator('table.grid tbody tr .token code').first().textContent())!;
    const csrf = (await page.locator('meta[name="csrf-token"]').getAttribute('content'))!;
    const status = await page.evaluate(
      async ({ token, source, id, csrf }) => {
        const response = await fetch('/api/v1/reveal', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({ token, context: { kind: 'event', source, id }, reason: 'curious' }),
        });
        return response.status;
      },
      { token, source, id, csrf },
    );
    expect(status).toBe(403);
    const audit = await page.goto('/audit');
    expect(audit?.status()).toBe(403);
    await shot(page, 'viewer-events');
    // Signing out ends the session on the server: the console asks for a sign-in again.
    await page.goto('/');
    await Promise.all([page.waitForURL(/\/sign-in$/), page.locator('.whoami button').click()]);
    expect((await page.goto('/'))?.status()).toBe(401);
    // The browser logs each refused request (403, and the 401 once signed out) as a console error: those are the point here.
    expect(problems.filter((p) => !/status of 40[13]/.test(p))).toEqual([]);
    problems.splice(0);
  });
});
