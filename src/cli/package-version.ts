import { readFileSync } from 'node:fs';

/** package.json beside `src/` and `dist/`: the one place the version is written. */
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

/** The installed package's version, for `vigil --version`. */
export function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : 'unknown';
}
