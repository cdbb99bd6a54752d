import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACK_RULES_DIR, packDetectors } from '../src/detect/pipeline/detection-pipeline.js';
import { loadSigmaRules } from '../src/detect/sigma/index.js';
import { CONFORMANCE_DIR, conformancePath } from './shared-conformance.js';

const doc = readFileSync(path.join(PACK_RULES_DIR, '..', '..', 'docs', 'okta-catalog.md'), 'utf8');
const stems = (folder: string) =>
  CONFORMANCE_DIR
    ? readdirSync(conformancePath('okta-catalog', folder))
        .filter((f) => f.endsWith('.yml'))
        .map((f) => f.slice(0, -'.yml'.length))
    : [];

/** Okta's published catalog (okta/customer-detections, Apache-2.0): docs/okta-catalog.md answers each entry. */
describe.skipIf(!CONFORMANCE_DIR)('Okta detection catalog coverage notes', () => {
  it('has a row for every catalog detection and hunt', () => {
    const entries = [...stems('detections'), ...stems('hunts')];
    expect(entries.length).toBe(46);
    expect(entries.filter((stem) => !doc.includes(`| \`${stem}\``))).toEqual([]);
  });

  it('names only detections the pack really has', async () => {
    const ids = new Set([
      ...(await loadSigmaRules([PACK_RULES_DIR])).map((r) => r.id),
      ...packDetectors().map((d) => d.id),
    ]);
    const named = [...doc.matchAll(/`((?:okta|vigil)-[a-z0-9-]+)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(40);
    expect([...new Set(named)].filter((id) => !ids.has(id))).toEqual([]);
  });
});
