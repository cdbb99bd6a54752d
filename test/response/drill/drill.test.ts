import { describe, expect, it } from 'vitest';
import { runVigil } from '../../cli/cli-harness.js';
import { tempDir } from '../../support/temp-dir.js';

describe('vigil drill', () => {
  for (const s of ['lapsus-2022', 'har-2023', 'cross-tenant-2023'])
  it(`${s} scores full marks`, async () => {
    const tmp = tempDir('vigil-drill-tmp-');
    const r = await runVigil(['drill', s], { cwd: tmp, env: { TMPDIR: tmp } });
    console.log(r.stderr, r.stdout);
    expect(r.code).toBe(0);
  }, 120_000);
});
