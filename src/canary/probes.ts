import type { Clock } from '../core/clock.js';
import { isoTime } from '../core/clock.js';
import type { CanaryProbeName } from '../config/canary-config.js';
import { describeAttempt, type AuthnAttempt, type AuthnClient } from '../sources/authn-client.js';
import type { ExpectedEvent, ProbeStatus } from './canary-record.js';
import { totpCode } from '../sources/totp.js';
import { totpSecretOf } from './totp.js';

/** What a probe needs: the provider, the canary and its secrets (in memory only), and the clock. */
export interface ProbeContext {
  readonly client: AuthnClient;
  readonly login: string;
  readonly password: string;
  readonly totpSecret?: string;
  readonly clock: Clock;
  /** The client IP the provider sees the runner as, when configured. */
  readonly clientIp: string | null;
  /** The password policy's failures before lockout (the latest snapshot's, else the API's). */
  readonly maxAttempts: () => Promise<{ maxAttempts: number; autoUnlockMinutes: number | null } | undefined>;
  readonly signal?: AbortSignal;
}

export interface ProbeOutcome {
  readonly expected: string;
  readonly observed: string;
  readonly status: ProbeStatus;
  /** The System Log events the probe caused and must find in the log. */
  readonly events: readonly ExpectedEvent[];
}

/**
 * Okta counts at most 4 authn requests per second per username (okta-api.md §6): a probe spaces its
 * calls by this much, so it never meets the limit nor locks anything by accident.
 */
export const PROBE_SPACING_MS = 1000;

/** The longest a lockout probe waits for auto-unlock when the admin unlock is refused. */
const MAX_AUTO_UNLOCK_WAIT_MINUTES = 15;

const REFUSED = (a: AuthnAttempt) => a.httpStatus === 401 && a.errorCode === 'E0000004';

/** Runs one probe. A transport failure or an admin call that fails is `error`, never a pass. */
export async function runProbe(name: CanaryProbeName, ctx: ProbeContext): Promise<ProbeOutcome> {
  const events = new EventLog(ctx);
  try {
    return await PROBES[name](ctx, events);
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    const why = error instanceof Error ? error.message : String(error);
    return { expected: EXPECTED[name], observed: `error: ${why}`, status: 'error', events: events.all() };
  }
}

export const EXPECTED: Readonly<Record<CanaryProbeName, string>> = {
  'wrong-password': '401 E0000004',
  'mfa-required': 'MFA_REQUIRED, a wrong TOTP refused, then SUCCESS after a correct TOTP',
  lockout: 'the right password refused after maxAttempts failures, then unlocked',
  'deactivated-refused': '401 E0000004',
  'group-denied': '401 E0000004',
};

type Probe = (ctx: ProbeContext, events: EventLog) => Promise<ProbeOutcome>;

const PROBES: Readonly<Record<CanaryProbeName, Probe>> = {
  'wrong-password': async (ctx, events) => {
    const a = await events.attempt(() => ctx.client.primary(ctx.login, wrongPassword(ctx), ctx.signal));
    events.expect('user.session.start', 'FAILURE');
    return outcome('wrong-password', describeAttempt(a), REFUSED(a), a, events);
  },

  'mfa-required': async (ctx, events) => {
    if (ctx.totpSecret === undefined) throw new TypeError('the mfa-required probe needs a TOTP secret');
    const secret = totpSecretOf(ctx.totpSecret);
    const first = await events.attempt(() => ctx.client.primary(ctx.login, ctx.password, ctx.signal));
    if (first.status !== 'MFA_REQUIRED') {
      if (first.status === 'SUCCESS') events.expect('user.session.start', 'SUCCESS');
      return outcome('mfa-required', describeAttempt(first), false, first, events);
    }
    events.expect('policy.evaluate_sign_on', 'ALLOW');
    const factor = first.factors?.find((f) => f.factorType === 'token:software:totp');
    if (!factor || first.stateToken === undefined)
      return outcome('mfa-required', 'MFA_REQUIRED without a TOTP factor to verify', false, first, events);
    // A wrong code first: SUCCESS must come only from the right one.
    const wrong = await events.attempt(() =>
      ctx.client.verifyTotp(factor.id, first.stateToken!, wrongCode(secret, ctx.clock.now()), ctx.signal),
    );
    events.expect('user.authentication.auth_via_mfa', 'FAILURE');
    if (wrong.status === 'SUCCESS' || wrong.httpStatus === 0 || wrong.httpStatus === 429)
      return outcome(
        'mfa-required',
        `MFA_REQUIRED, then ${describeAttempt(wrong)} after a wrong TOTP`,
        false,
        wrong,
        events,
      );
    const code = totpCode(secret, ctx.clock.now());
    const second = await events.attempt(() =>
      ctx.client.verifyTotp(factor.id, first.stateToken!, code, ctx.signal),
    );
    events.expect('user.authentication.auth_via_mfa', 'SUCCESS');
    if (second.status === 'SUCCESS') events.expect('user.session.start', 'SUCCESS');
    return outcome(
      'mfa-required',
      `MFA_REQUIRED, a wrong TOTP refused (${describeAttempt(wrong)}), then ${describeAttempt(second)} after a correct TOTP`,
      second.status === 'SUCCESS',
      second,
      events,
    );
  },

  lockout: async (ctx, events) => {
    const policy = await ctx.maxAttempts();
    if (!policy)
      return {
        expected: EXPECTED.lockout,
        observed: 'the password policy has no lockout (maxAttempts unset)',
        status: 'fail',
        events: events.all(),
      };
    const wrong = wrongPassword(ctx);
    for (let i = 0; i < policy.maxAttempts; i++) {
      const a = await events.attempt(() => ctx.client.primary(ctx.login, wrong, ctx.signal));
      if (a.httpStatus === 0 || a.httpStatus === 429) {
        // The failures so far may have locked it: never leave it so.
        await unlockIfLocked(ctx, policy.autoUnlockMinutes).catch(() => undefined);
        throw new Error(`failure ${i + 1} of ${policy.maxAttempts}: ${describeAttempt(a)}`);
      }
    }
    events.expect('user.session.start', 'FAILURE', policy.maxAttempts);
    const right = await events.attempt(() => ctx.client.primary(ctx.login, ctx.password, ctx.signal));
    const locked = REFUSED(right) || right.status === 'LOCKED_OUT';
    // A provider that did not lock wrote no lock event: the probe's failure says so, not the log check.
    if (locked) events.expect('user.account.lock', null);
    const observed = `the right password after ${policy.maxAttempts} failures: ${describeAttempt(right)}`;
    // Never leave the canary locked: the admin unlock, else the policy's auto-unlock, then a check.
    const left = await unlockIfLocked(ctx, policy.autoUnlockMinutes);
    if (left.status !== 'ACTIVE')
      return {
        expected: EXPECTED.lockout,
        observed: `${observed}; the canary is still ${left.status} after the unlock${left.why ? ` (${left.why})` : ''}`,
        status: 'error',
        events: events.all(),
      };
    return {
      expected: EXPECTED.lockout,
      observed: locked ? `${observed}, then unlocked` : observed,
      status: locked ? 'pass' : 'fail',
      events: events.all(),
    };
  },

  'deactivated-refused': async (ctx, events) => {
    const a = await events.attempt(() => ctx.client.primary(ctx.login, ctx.password, ctx.signal));
    events.expect('user.session.start', REFUSED(a) ? 'FAILURE' : null);
    return outcome('deactivated-refused', describeAttempt(a), REFUSED(a), a, events);
  },

  'group-denied': async (ctx, events) => {
    const a = await events.attempt(() => ctx.client.primary(ctx.login, ctx.password, ctx.signal));
    if (REFUSED(a)) {
      events.expect('policy.evaluate_sign_on', 'DENY');
      events.expect('user.session.start', 'FAILURE');
    } else events.expect('policy.evaluate_sign_on', null);
    return outcome('group-denied', describeAttempt(a), REFUSED(a), a, events);
  },
};

function outcome(
  name: CanaryProbeName,
  observed: string,
  passed: boolean,
  last: AuthnAttempt,
  events: EventLog,
): ProbeOutcome {
  const status: ProbeStatus = passed
    ? 'pass'
    : last.httpStatus === 0 || last.httpStatus === 429
      ? 'error'
      : 'fail';
  return { expected: EXPECTED[name], observed, status, events: events.all() };
}

/** A password that is surely wrong and never a prefix of the right one (nothing of it is stored). */
function wrongPassword(ctx: ProbeContext): string {
  return `vigil-canary-wrong-${ctx.clock.now().toString(36)}`;
}

/** A six-digit code that is none of the codes a provider accepts now (one 30 s step of drift either way). */
function wrongCode(secret: string, nowMs: number): string {
  const valid = new Set([-30_000, 0, 30_000].map((d) => totpCode(secret, nowMs + d)));
  for (let n = 0; ; n++) {
    const code = String((Number(totpCode(secret, nowMs)) + 500_000 + n) % 1_000_000).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

/**
 * Unlocks the canary if it is locked (an admin unlock, else a short auto-unlock wait) and returns the
 * status it is left in: after the lockout probe, and before a canary's probes start, in case a run
 * was stopped between its lockout and its unlock.
 */
export async function unlockIfLocked(
  ctx: Pick<ProbeContext, 'client' | 'login' | 'clock' | 'signal'>,
  autoUnlockMinutes: number | null,
): Promise<{ status: string; why?: string }> {
  const user = await ctx.client.user(ctx.login, ctx.signal);
  if (user.status !== 'LOCKED_OUT') return { status: user.status };
  try {
    await ctx.client.unlock(user.id, ctx.signal);
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    const why = error instanceof Error ? error.message : String(error);
    const waitable = autoUnlockMinutes !== null && autoUnlockMinutes > 0;
    if (!waitable || autoUnlockMinutes > MAX_AUTO_UNLOCK_WAIT_MINUTES) return { status: user.status, why };
    await ctx.clock.sleep(autoUnlockMinutes * 60_000 + PROBE_SPACING_MS, ctx.signal);
  }
  return { status: (await ctx.client.user(ctx.login, ctx.signal)).status };
}

/** The probe's calls, spaced, and the events they must cause within the probe's window. */
class EventLog {
  readonly #events: { type: string; outcome: string | null; atLeast: number }[] = [];
  readonly #startedMs: number;

  constructor(private readonly ctx: ProbeContext) {
    this.#startedMs = ctx.clock.now();
  }

  async attempt(call: () => Promise<AuthnAttempt>): Promise<AuthnAttempt> {
    const a = await call();
    await this.ctx.clock.sleep(PROBE_SPACING_MS, this.ctx.signal);
    return a;
  }

  expect(type: string, outcome: string | null, atLeast = 1): void {
    this.#events.push({ type, outcome, atLeast });
  }

  all(): ExpectedEvent[] {
    const from = isoTime(this.#startedMs);
    const to = isoTime(this.ctx.clock.now());
    return this.#events.map((e) => ({
      ...e,
      actor: this.ctx.login,
      from,
      to,
      clientIp: this.ctx.clientIp,
      userAgent: this.ctx.client.userAgent,
    }));
  }
}
