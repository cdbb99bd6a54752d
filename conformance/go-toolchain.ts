import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { tempDir } from '../test/support/temp-dir.js';

/**
 * Go for the conformance suite's independent checks: Debian's golang-go and golang-golang-x-mod-dev,
 * built offline in GOPATH mode over /usr/share/gocode (GOPROXY=off). Without `go` a suite is
 * skipped on a developer's machine, but fails in CI (CI=true), where .ci/run installs both.
 */
export const GO_PATH = '/usr/share/gocode';
export const HAS_GO = spawnSync('go', ['version']).status === 0;
export const INSTALL_GO = 'apt-get install golang-go golang-golang-x-mod-dev';
export const IN_CI = process.env['CI'] === 'true';
/** Run the Go suites: Go is installed, or CI requires it (and each test then fails, naming the packages). */
export const RUN_GO_SUITES = HAS_GO || IN_CI;
if (!HAS_GO && !IN_CI) console.warn(`skipped: \`go\` is not installed (${INSTALL_GO})`);

/** Builds one Go program (a main.go) into a fresh temp dir and returns the binary's path. */
export function buildGoProgram(mainGo: string, name: string): string {
  if (!HAS_GO) throw new Error(`CI=true and \`go\` is not installed: ${INSTALL_GO}`);
  expect(
    existsSync(path.join(GO_PATH, 'src/golang.org/x/mod/sumdb/note')),
    'install golang-golang-x-mod-dev',
  ).toBe(true);
  const dir = tempDir(`vigil-go-${name}-`);
  const binary = path.join(dir, name);
  const build = spawnSync('go', ['build', '-o', binary, mainGo], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GO111MODULE: 'off',
      GOPATH: GO_PATH,
      GOPROXY: 'off',
      GOFLAGS: '',
      GOCACHE: path.join(dir, 'cache'),
    },
  });
  expect(build.status, build.stderr).toBe(0);
  return binary;
}
