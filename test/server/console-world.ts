import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { Runtime } from '../../src/runtime/runtime.js';
import { buildConsoleApp } from '../../src/server/app.js';
import { consoleSealKey } from '../../src/server/auth/auth-plugin.js';
import { ConsoleAuth } from '../../src/server/auth/console-auth.js';
import type { Role } from '../../src/server/auth/principal.js';
import { runVigil } from '../cli/cli-harness.js';
import { tempDir } from '../support/temp-dir.js';

export const CONSOLE_ORIGIN = 'http://127.0.0.1:8443';

/** One console user as a test drives them: an API token, and a browser session with its CSRF token. */
export interface TestUser {
  readonly name: string;
  readonly role: Role;
  readonly bearer: string;
  readonly cookie: string;
  readonly csrf: string;
}

/**
 * A data directory filled by the demo (the simulator's org with every attack drill collected,
 * detected, ledgered), made once per test file: real store, real alerts, real personal data.
 */
export async function demoDataDir(): Promise<string> {
  const dir = path.join(tempDir('vigil-console-'), 'data');
  const demo = await runVigil(['demo', '--data', dir, '--users', '20', '--days', '1', '--json']);
  expect(demo.code, demo.stderr).toBe(0);
  return dir;
}

/** The console over a data directory, with a viewer, an analyst and an admin. */
export class ConsoleWorld {
  private constructor(
    readonly runtime: Runtime,
    readonly app: FastifyInstance,
    readonly auth: ConsoleAuth,
    readonly clock: ManualClock,
  ) {}

  static async open(dataDir: string, clock = new ManualClock('2026-03-10T12:00:00Z')): Promise<ConsoleWorld> {
    const runtime = await Runtime.open({ dataDir, access: 'write', env: {}, clock });
    const app = await buildConsoleApp({ runtime, origin: CONSOLE_ORIGIN, secure: false });
    await app.ready();
    const auth = new ConsoleAuth({
      store: runtime.store,
      clock,
      audit: runtime.auditLog(),
      origin: CONSOLE_ORIGIN,
      secure: false,
      rpName: 'Vigil',
      sealKey: consoleSealKey(runtime),
    });
    return new ConsoleWorld(runtime, app, auth, clock);
  }

  /** A console user of `role` with an API token and a live session (the session's cookie and CSRF token). */
  async user(name: string, role: Role): Promise<TestUser> {
    const existing = await this.auth.accounts.byName(name);
    const account = existing ?? (await this.auth.accounts.add(name, role));
    const { token } = await this.auth.tokens.create(account, role, `${name} test token`);
    const { cookie, session } = await this.auth.sessions.create(account.id, 'totp');
    return { name, role, bearer: token, cookie, csrf: session.csrfToken };
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.runtime.close();
  }
}
