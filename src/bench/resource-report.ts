import { writeFileSync } from 'node:fs';

/**
 * Preloaded into a benchmarked child (`node --import dist/bench/resource-report.js bin/vigil.js …`):
 * at exit it writes the whole process's resource usage (CPU µs, peak RSS in KiB) as JSON to the file
 * named by VIGIL_BENCH_USAGE, so a benchmark reports what the command cost, not what its parent did.
 */
const file = process.env['VIGIL_BENCH_USAGE'];
if (file)
  process.on('exit', () => {
    const { userCPUTime, systemCPUTime, maxRSS } = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ userCPUTime, systemCPUTime, maxRSS }));
  });
