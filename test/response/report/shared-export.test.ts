import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lapsusWorld } from './lapsus-world.js';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;

describe('vigil incident export --share', () => {
  it('tokenised timeline, report and proofs with the events withheld; verify-bundle checks the leaves; the token map stays in the data directory', async () => {
    const world = await lapsusWorld();
    const ioc = path.join(world.dir, 'iocs.txt');
    writeFileSync(ioc, `${world.attackerUserAgent}\n`);
    const opened = await world.vigil(
      'incident',
      'open',
      '--name',
      'lapsus',
      '--from',
      world.from,
      '--to',
      world.to,
      '--scope',
      'support',
      '--ioc',
      ioc,
      '--json',
    );
    const { id } = JSON.parse(opened.stdout) as { id: string };
    const out = path.join(world.dir, 'share');
    const run = await world.vigil('incident', 'export', id, '--share', '--out', out, '--json');
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { events: number; tokenMap: string; tokens: number };

    expect(readdirSync(out).sort()).toEqual([
      'README.md',
      'SHA256SUMS',
      'evidence',
      'report.html',
      'report.json',
      'timeline.jsonl',
    ]);
    expect(existsSync(path.join(out, 'evidence', 'events.jsonl'))).toBe(false);
    const timeline = readFileSync(path.join(out, 'timeline.jsonl'), 'utf8').trim().split('\n');
    expect(timeline).toHaveLength(result.events);
    expect(new Set(timeline.map((l) => (JSON.parse(l) as { uuid: string }).uuid))).toEqual(world.attackIds);

    // No raw email or IP of the attack anywhere in the export.
    const attackRaw = world.events
      .filter((e) => world.attackIds.has(e.uuid))
      .map((e) => JSON.stringify(e))
      .join('\n');
    const personal = [
      ...new Set([...(attackRaw.match(EMAIL) ?? []), ...(attackRaw.match(IPV4) ?? [])]),
    ].filter((v) => v !== 'system@okta.com');
    expect(personal.length).toBeGreaterThan(3);
    const everything = [
      'README.md',
      'report.html',
      'report.json',
      'timeline.jsonl',
      'evidence/proofs.jsonl',
      'evidence/EVENTS-WITHHELD.txt',
    ]
      .map((f) => readFileSync(path.join(out, f), 'utf8'))
      .join('\n');
    for (const value of personal) expect(everything, value).not.toContain(value);

    // The README's command checks the proofs offline with the pinned key.
    const key = (await world.vigil('ledger', 'key')).stdout.trim();
    expect(readFileSync(path.join(out, 'README.md'), 'utf8')).toContain(
      `vigil verify-bundle --vkey '${key}' evidence`,
    );
    const verified = await world.vigil('verify-bundle', '--vkey', key, path.join(out, 'evidence'));
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toContain(`OK — ${result.events} event leaves (events withheld`);

    // The token map: outside the export, owner-only, and it answers every token the export shows.
    expect(result.tokenMap.startsWith(path.join(world.dir, 'shares') + path.sep)).toBe(true);
    expect(statSync(result.tokenMap).mode & 0o777).toBe(0o600);
    const map = (JSON.parse(readFileSync(result.tokenMap, 'utf8')) as { tokens: Record<string, string> })
      .tokens;
    const shown = new Set(everything.match(/\b(?:user|name|ip|phone):[0-9a-f]{16}\b/g));
    expect([...shown].filter((t) => map[t] === undefined)).toEqual([]);
    expect(Object.values(map)).toEqual(expect.arrayContaining([world.attackerIp]));

    const { records } = JSON.parse((await world.vigil('audit', '--json')).stdout) as {
      records: { action: string; target?: string }[];
    };
    expect(records.find((r) => r.action === 'incident.export')).toMatchObject({ target: id });

    // A leaf changed in the shared proofs fails.
    const proofs = path.join(out, 'evidence', 'proofs.jsonl');
    const lines = readFileSync(proofs, 'utf8').trim().split('\n');
    const first = JSON.parse(lines[0]!) as { leafIndex: number };
    lines[0] = JSON.stringify({ ...first, leafIndex: first.leafIndex + 1 });
    writeFileSync(proofs, lines.join('\n') + '\n');
    expect((await world.vigil('verify-bundle', '--vkey', key, path.join(out, 'evidence'))).code).toBe(1);
  });

  it('without --share it refuses (exit 2)', async () => {
    const world = await lapsusWorld();
    const opened = await world.vigil(
      'incident',
      'open',
      '--name',
      'x',
      '--from',
      world.from,
      '--to',
      world.to,
      '--json',
    );
    const { id } = JSON.parse(opened.stdout) as { id: string };
    const run = await world.vigil('incident', 'export', id, '--out', path.join(world.dir, 'x'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--share');
  });
});
