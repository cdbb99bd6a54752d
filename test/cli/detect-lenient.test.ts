import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ABROAD, HOME, oktaEvent, signIn, T0 } from '../support/okta-events.js';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from './cli-harness.js';

/** An event as another tool exports it: `change` edits a copy of Okta's exact shape. */
const exported = (event: object, change: (e: Record<string, unknown>) => void) => {
  const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  change(copy);
  return JSON.stringify(copy);
};

it('vigil detect --input reads an export from another tool line by line: warnings, not a refusal', async () => {
  const lines = [
    // 1: no `version`.
    exported(signIn('ann', { at: T0, from: HOME }), (e) => delete e['version']),
    // 2: keys in another case, a number where Okta sends a string, a time without a zone (UTC).
    exported(signIn('ann', { at: T0 + 20 * 60_000, from: ABROAD }), (e) => {
      e['EventType'] = e['eventType'];
      delete e['eventType'];
      e['Actor'] = e['actor'];
      delete e['actor'];
      e['version'] = 0;
      e['published'] = '2026-03-10 09:20:00';
    }),
    // 3: not JSON at all.
    '{"uuid": "broken',
    // 4: JSON, but not an event.
    '[1, 2, 3]',
    // 5: no `published` and no `uuid`, a field Okta never sends.
    exported(oktaEvent({ eventType: 'system.api_token.create', at: T0 + 30 * 60_000 }), (e) => {
      delete e['published'];
      delete e['uuid'];
      e['siemTag'] = 'x';
    }),
  ];
  const file = path.join(tempDir('vigil-detect-lenient-'), 'export.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');

  const r = await runVigil(['detect', '--input', file, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const detections = JSON.parse(r.stdout) as { rule: { id: string }; events: string[]; time: string }[];
  // The stateful detector read lines 1 and 2 (line 2 only after its keys were read in Okta's case,
  // its time as UTC); Sigma read line 5, which has neither id nor time of its own.
  const travel = detections.find((d) => d.rule.id === 'vigil-impossible-travel');
  expect(travel, JSON.stringify(detections)).toBeDefined();
  const token = detections.find((d) => d.rule.id === 'okta-api-token-created');
  expect(token?.events).toEqual(['export.jsonl:5']);
  expect(token?.time).toBe('2026-03-10T09:20:00.000Z');

  const warnings = r.stderr;
  expect(warnings).toContain(`${file}:1: version: Required`);
  expect(warnings).toContain(`${file}:2: EventType: read as 'eventType' (Okta's spelling)`);
  expect(warnings).toContain(`${file}:2: Actor: read as 'actor' (Okta's spelling)`);
  expect(warnings).toContain(`${file}:2: version: Expected string, received number`);
  expect(warnings).toContain(
    `${file}:2: published: not RFC 3339 with an offset; read as 2026-03-10T09:20:00.000Z`,
  );
  expect(warnings).toContain(`${file}:3: not valid JSON (line skipped)`);
  expect(warnings).toContain(`${file}:4: not a JSON object (line skipped)`);
  expect(warnings).toContain(`${file}:5: uuid: Required; named export.jsonl:5`);
  expect(warnings).toContain(
    `${file}:5: published: no readable time; read at 2026-03-10T09:20:00.000Z (the line before it)`,
  );
  expect(warnings).toContain(`${file}:5: siemTag: not a field Okta sends (kept)`);
  expect(warnings).toContain('3 events read');
  expect(warnings).toContain('2 line(s) skipped as unreadable');

  const text = await runVigil(['detect', '--input', file]);
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/detection\(s\) over 3 events, 2 unreadable line\(s\) skipped/);
});
