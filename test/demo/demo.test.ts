import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DemoSummary } from '../../src/demo/demo-report.js';
import { runVigil } from '../cli/cli-harness.js';

describe('vigil demo', () => {
  it('runs end to end on a small org and prints a machine-readable summary', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'vigil-demo-test-'));
    const r = await runVigil(['demo', '--users', '20', '--days', '2', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as DemoSummary;
    expect(summary.verification.ok).toBe(true);
    expect(summary.collected.events).toBeGreaterThan(50);
    expect(summary.verification.leaves).toBe(summary.collected.events);
    expect(Array.isArray(summary.alerts)).toBe(true);
    expect(Array.isArray(summary.missed)).toBe(true);
    expect(summary.checkpoint).toMatch(/^vigil\.local\/okta\n/);
    expect(readFileSync(summary.report, 'utf8')).toContain('vigil verify: OK');
  });
});
