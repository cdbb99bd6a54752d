import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/response/incident/incident.js';
import { lapsusWorld } from '../report/lapsus-world.js';

describe('vigil incident open|list|show|close', () => {
  it('opens with indicators (--json prints the id), lists, shows, closes once; each open and close is in the audit log', async () => {
    const world = await lapsusWorld();
    const iocs = path.join(world.dir, 'iocs.csv');
    writeFileSync(iocs, `type,value\nip,${world.attackerIp}\nua,"${world.attackerUserAgent}"\n`);
    const opened = await world.vigil(
      'incident',
      'open',
      '--name',
      'Okta January 2022',
      '--from',
      '2026-03-09',
      '--to',
      '2026-03-10T12:00:00Z',
      '--scope',
      'support',
      '--ioc',
      iocs,
      '--json',
    );
    expect(opened.code, opened.stderr).toBe(0);
    const { id } = JSON.parse(opened.stdout) as { id: string };
    expect(id).toMatch(/^inc-[0-9a-f]{12}$/);

    const shown = JSON.parse((await world.vigil('incident', 'show', id, '--json')).stdout) as Incident;
    expect(shown).toMatchObject({
      id,
      name: 'Okta January 2022',
      source: 'okta',
      from: '2026-03-09T00:00:00.000Z',
      to: '2026-03-10T12:00:00.000Z',
      scope: 'support',
      status: 'open',
      iocs: [
        { kind: 'ip', value: world.attackerIp },
        { kind: 'user-agent', value: world.attackerUserAgent },
      ],
    });
    const listed = await world.vigil('incident', 'list');
    expect(listed.stdout).toContain(`${id}  open`);

    expect((await world.vigil('incident', 'close', id, '--reason', 'report sent')).code).toBe(0);
    const again = await world.vigil('incident', 'close', id);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('INCIDENT_CLOSED');
    const { records } = JSON.parse((await world.vigil('audit', '--json')).stdout) as {
      records: { action: string; target?: string; reason?: string; actor: string }[];
    };
    expect(
      records
        .filter((r) => r.target === id)
        .map((r) => r.action)
        .sort(),
    ).toEqual(['incident.close', 'incident.open']);
    expect(records.find((r) => r.action === 'incident.close')).toMatchObject({
      reason: 'report sent',
      actor: 'cli:analyst',
    });
  });

  it.each([
    [['--from', '2026-03-10', '--to', '2026-03-09'], 'INCIDENT_INVALID', 'empty'],
    [['--from', 'yesterday', '--to', '2026-03-09'], 'CLI_BAD_DATE', '--from'],
    [['--from', '2026-03-09', '--to', '2026-03-10', '--scope', 'some'], 'INCIDENT_INVALID', '--scope'],
    [
      ['--from', '2026-03-09', '--to', '2026-03-10', '--source', 'other'],
      'INCIDENT_INVALID',
      'not a configured source',
    ],
    [
      ['--from', '2026-03-09', '--to', '2026-03-10', '--ioc', 'missing.txt'],
      'CLI_FILE_UNREADABLE',
      'missing.txt',
    ],
  ])('bad input %j is %s (exit 2), and nothing is opened', async (flags, code, message) => {
    const world = await lapsusWorld();
    const run = await world.vigil('incident', 'open', '--name', 'x', ...flags);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(code);
    expect(run.stderr).toContain(message);
    expect((await world.vigil('incident', 'list', '--json')).stdout.trim()).toBe('[]');
  });

  it('an indicator file with a bad line names the file and line, and nothing is opened', async () => {
    const world = await lapsusWorld();
    const iocs = path.join(world.dir, 'bad.txt');
    writeFileSync(iocs, '23.105.182.19\n23.105.182.300\n');
    const run = await world.vigil(
      'incident',
      'open',
      '--name',
      'x',
      '--from',
      '2026-03-09',
      '--to',
      '2026-03-10',
      '--ioc',
      iocs,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${iocs}:2: `);
    expect((await world.vigil('incident', 'list', '--json')).stdout.trim()).toBe('[]');
  });

  it('show of an unknown id is INCIDENT_NOT_FOUND (exit 2)', async () => {
    const world = await lapsusWorld();
    const run = await world.vigil('incident', 'show', 'inc-000000000000');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('INCIDENT_NOT_FOUND');
  });
});
