import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSigmaRules } from '../../../src/detect/sigma/index.js';
import { PACK_RULES_DIR, packDetectors } from '../../../src/detect/pipeline/detection-pipeline.js';

describe('docs/detections.md', () => {
  it('describes every rule and detector the pack ships', async () => {
    const doc = readFileSync(path.join(PACK_RULES_DIR, '..', '..', 'docs', 'detections.md'), 'utf8');
    const ids = [
      ...(await loadSigmaRules([PACK_RULES_DIR])).map((r) => r.id),
      ...packDetectors().map((d) => d.id),
    ];
    expect(ids.length).toBeGreaterThan(40);
    expect(ids.filter((id) => !doc.includes(`\`${id}\``))).toEqual([]);
  });
});
