import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchmarkSuite, BenchRow } from './benchmark.js';
import { SUITES } from './suites.js';

/**
 * `npm run bench [-- --quick] [-- --keep] [-- suite ...]`: runs suites, prints a table, writes JSON.
 * `--keep` leaves each suite's working folder (its stores) in place and names it, to look into.
 */
async function run(argv: readonly string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const keep = argv.includes('--keep');
  const only = argv.filter((a) => !a.startsWith('--'));
  const chosen: BenchmarkSuite[] = SUITES.filter((s) => only.length === 0 || only.includes(s.name));
  const rows: BenchRow[] = [];
  for (const suite of chosen) {
    const workDir = mkdtempSync(path.join(os.tmpdir(), `vigil-bench-${suite.name}-`));
    try {
      process.stderr.write(`bench: ${suite.name}...\n`);
      rows.push(...(await suite.run({ quick, workDir })));
    } finally {
      if (keep) process.stderr.write(`bench: ${suite.name} kept ${workDir}\n`);
      else rmSync(workDir, { recursive: true, force: true });
    }
  }
  printTable(rows);
  mkdirSync('bench-results', { recursive: true });
  const report = { node: process.version, cpus: os.cpus().length, quick, rows };
  writeFileSync(path.join('bench-results', 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(`\nwritten: bench-results/latest.json\n`);
  return 0;
}

function printTable(rows: readonly BenchRow[]): void {
  const header = ['suite', 'measure', 'value', 'unit', 'target', 'met'];
  const body = rows.map((r) => [
    r.suite,
    r.name,
    formatValue(r.value),
    r.unit,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  process.stdout.write(line(header) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
  for (const b of body) process.stdout.write(line(b) + '\n');
}

function formatValue(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);
}

process.exitCode = await run(process.argv.slice(2));
