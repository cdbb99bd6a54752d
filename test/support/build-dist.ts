import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Vitest globalSetup (vitest.config.ts, both projects): worker-thread tests load the compiled
 * workers from dist/, so before any test runs, dist/ is brought up to date with src/. When a source
 * file has no compiled output, or one older than the source, this runs `tsc -p tsconfig.build.json`;
 * if dist/ is still missing or stale afterwards the whole run fails, saying why.
 *
 * tsc writes its output even when the sources do not type-check; type errors are the business of
 * `npm run typecheck` and `npm run build`, so here they are printed, and only output that is still
 * missing or stale fails the run.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');

/** Every `.ts` source under src/ (declaration files have no output). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

const mtimeMs = (file: string): number | undefined => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
};

/**
 * Sources whose compiled file in dist/ is missing or older than they are. A source saved after
 * `builtFrom` (someone editing while tsc ran) does not count against that build.
 */
export function staleOutputs(builtFrom = Infinity): string[] {
  return sources(SRC).filter((source) => {
    const saved = mtimeMs(source) ?? Infinity;
    if (saved >= builtFrom) return false;
    const output = path.join(DIST, path.relative(SRC, source)).replace(/\.ts$/, '.js');
    const built = mtimeMs(output);
    return built === undefined || built < saved;
  });
}

const listed = (files: readonly string[]) =>
  files
    .slice(0, 5)
    .map((f) => path.relative(ROOT, f))
    .join(', ') + (files.length > 5 ? ` and ${files.length - 5} more` : '');

export function setup(): void {
  const stale = staleOutputs();
  if (stale.length === 0) return;
  process.stderr.write(
    `dist/ is out of date with src/ (${listed(stale)}): running tsc -p tsconfig.build.json\n`,
  );
  const started = Date.now();
  const tsc = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  const output = `${tsc.stdout ?? ''}${tsc.stderr ?? ''}`.trim();
  const still = staleOutputs(started);
  if (tsc.error || still.length > 0) {
    throw new Error(
      `could not build dist/ for the worker-thread tests (tsc -p tsconfig.build.json: ${tsc.error?.message ?? `exit ${tsc.status}`}); ` +
        `still missing or stale: ${listed(still)}. Run \`npm run build\` and fix what it reports.\n${output}`,
    );
  }
  if (tsc.status !== 0)
    process.stderr.write(
      `tsc reported type errors (dist/ was written anyway; \`npm run typecheck\` fails until they are fixed):\n${output}\n`,
    );
}
