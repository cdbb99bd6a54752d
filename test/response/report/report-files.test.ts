import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../src/audit/audit-log.js';
import type { IncidentReport } from '../../../src/response/report/incident-report.js';
import { REPORT_SECTIONS } from '../../../src/response/report/report-html.js';
import { DEFAULT_CHROMIUM } from '../../../src/response/report/pdf.js';
import { lapsusWorld, type LapsusWorld } from './lapsus-world.js';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;

async function openIncident(world: LapsusWorld): Promise<string> {
  const opened = await world.vigil(
    'incident',
    'open',
    '--name',
    'Okta support compromise',
    '--from',
    world.from,
    '--to',
    world.to,
    '--scope',
    'support',
    '--json',
  );
  expect(opened.code, opened.stderr).toBe(0);
  return (JSON.parse(opened.stdout) as { id: string }).id;
}

/** The raw personal data of the attack's events: every login and IP they carry. */
function personalData(world: LapsusWorld): string[] {
  const raw = world.events
    .filter((e) => world.attackIds.has(e.uuid))
    .map((e) => JSON.stringify(e))
    .join('\n');
  return [...new Set([...(raw.match(EMAIL) ?? []), ...(raw.match(IPV4) ?? [])])].filter(
    (v) => v !== 'system@okta.com',
  );
}

function requireTool(file: string, why: string): void {
  if (!existsSync(file))
    throw new Error(`${file} is missing: ${why} (Debian: apt-get install chromium poppler-utils)`);
}

describe('vigil incident report: files', () => {
  it('--out writes an evidence bundle of the cited events that verify-bundle accepts with the pinned key, and a tampered one fails', async () => {
    const world = await lapsusWorld();
    const id = await openIncident(world);
    const out = path.join(world.dir, 'report');
    const run = await world.vigil('incident', 'report', id, '--out', out);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['SHA256SUMS', 'evidence', 'report.html', 'report.json']);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(out, 'report.json')).mode & 0o777).toBe(0o600);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as IncidentReport;
    const bundled = readFileSync(path.join(out, 'evidence', 'events.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(bundled.map((l) => (JSON.parse(l) as { uuid: string }).uuid).sort()).toEqual(
      report.timeline.map((e) => e.uuid).sort(),
    );

    const key = (await world.vigil('ledger', 'key')).stdout.trim();
    expect(report.header.verifierKey).toBe(key);
    const ok = await world.vigil('verify-bundle', '--vkey', key, path.join(out, 'evidence'));
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`verify-bundle: OK — ${report.timeline.length} events`);

    // Every artifact's digest is in SHA256SUMS, and the same digests are in the audit log's record.
    const sums = readFileSync(path.join(out, 'SHA256SUMS'), 'utf8');
    for (const name of ['report.json', 'report.html', 'evidence/events.jsonl', 'evidence/checkpoint.txt'])
      expect(sums).toMatch(new RegExp(`^[0-9a-f]{64}  ${name.replace('.', '\\.')}$`, 'm'));
    const { records } = JSON.parse((await world.vigil('audit', '--json')).stdout) as {
      records: AuditRecord[];
    };
    const generated = records.find((r) => r.action === 'report.generate')!;
    expect(generated.actor).toBe('cli:analyst');
    expect(JSON.stringify(generated.details)).toContain(sums.split('  ')[0]!);

    // Change one byte of one cited event: the bundle fails.
    const events = path.join(out, 'evidence', 'events.jsonl');
    const text = readFileSync(events, 'utf8');
    writeFileSync(events, text.replace('"user.account.reset_password"', '"user.account.update_password"'));
    const bad = await world.vigil('verify-bundle', '--vkey', key, path.join(out, 'evidence'));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('differs from what the ledger recorded');
  });

  it('tokenised by default: no raw email or IP of the attack in the JSON, the HTML or the bundle report files', async () => {
    const world = await lapsusWorld();
    const id = await openIncident(world);
    const out = path.join(world.dir, 'report');
    expect((await world.vigil('incident', 'report', id, '--out', out)).code).toBe(0);
    const secrets = personalData(world);
    expect(secrets.length).toBeGreaterThan(3);
    for (const file of ['report.json', 'report.html']) {
      const text = readFileSync(path.join(out, file), 'utf8');
      for (const value of secrets) expect(text, `${file} holds ${value}`).not.toContain(value);
      expect(text).toMatch(/user:[0-9a-f]{16}/);
    }
    const json = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as IncidentReport;
    expect(json.header.revealed).toBe(false);
  });

  it('--reveal needs --reason, shows the logins, and is recorded in the audit log as report.reveal with the reason', async () => {
    const world = await lapsusWorld();
    const id = await openIncident(world);
    const refused = await world.vigil('incident', 'report', id, '--json', '--reveal');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--reveal needs --reason');

    const revealed = await world.vigil(
      'incident',
      'report',
      id,
      '--json',
      '--reveal',
      '--reason',
      'resetting the victims',
    );
    expect(revealed.code, revealed.stderr).toBe(0);
    const report = JSON.parse(revealed.stdout) as IncidentReport;
    expect(report.header.revealed).toBe(true);
    expect(report.blastRadius.principals.some((p) => p.login?.includes('@'))).toBe(true);
    const { records } = JSON.parse((await world.vigil('audit', '--json')).stdout) as {
      records: AuditRecord[];
    };
    const reveal = records.find((r) => r.action === 'report.reveal')!;
    expect(reveal).toMatchObject({ actor: 'cli:analyst', target: id, reason: 'resetting the victims' });
    expect(records.find((r) => r.action === 'incident.open')).toMatchObject({ target: id });
  });

  it('HTML has every section and an attack event; the PDF printed by Chromium has the headings and an attack uuid (pdftotext)', async () => {
    requireTool(DEFAULT_CHROMIUM, 'the PDF is printed by headless Chromium');
    requireTool('/usr/bin/pdftotext', 'the test reads the PDF back with pdftotext');
    const world = await lapsusWorld();
    const id = await openIncident(world);
    const html = path.join(world.dir, 'r.html');
    const pdf = path.join(world.dir, 'r.pdf');
    const run = await world.vigil('incident', 'report', id, '--html', html, '--pdf', pdf);
    expect(run.code, run.stderr).toBe(0);
    const htmlText = readFileSync(html, 'utf8');
    for (const section of REPORT_SECTIONS) expect(htmlText).toContain(`<h2>${section}</h2>`);
    expect(htmlText).not.toMatch(/<script/i);
    const someAttack = [...world.attackIds][0]!;
    expect(htmlText).toContain(someAttack);

    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('/usr/bin/pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const section of REPORT_SECTIONS) expect(text).toContain(section);
    expect(text.replace(/\s+/g, '')).toContain(someAttack);
  }, 60_000);

  it('refuses to write over an existing file or into a folder that is not empty (exit 2)', async () => {
    const world = await lapsusWorld();
    const id = await openIncident(world);
    const html = path.join(world.dir, 'exists.html');
    writeFileSync(html, 'mine');
    const run = await world.vigil('incident', 'report', id, '--html', html);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('exists already');
    expect(readFileSync(html, 'utf8')).toBe('mine');
    const full = await world.vigil('incident', 'report', id, '--out', world.dir);
    expect(full.code).toBe(2);
    expect(full.stderr).toContain('not empty');
  });
});
