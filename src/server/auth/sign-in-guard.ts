import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { VigilDatabase } from '../../store/database-schema.js';

export interface LockoutPolicy {
  /** Consecutive failures for one account name that lock it. */
  readonly maxFailures: number;
  /** Failures older than this are forgotten. */
  readonly windowMs: number;
  /** How long a locked account refuses every sign-in, right ones included. */
  readonly lockMs: number;
  /** Sign-in and enrolment attempts one address may make per minute. */
  readonly perAddressPerMinute: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  perAddressPerMinute: 20,
};

const MINUTE_MS = 60_000;
/** Addresses remembered for rate limiting at most; the oldest are forgotten first. */
const MAX_ADDRESSES = 10_000;

/**
 * Guessing resistance for sign-in. Per account name (stored, so a restart does not reset it): after
 * `maxFailures` consecutive failures within `windowMs`, the account refuses every attempt for
 * `lockMs` (NIST SP 800-63B §5.2.2 asks for a limit on failed attempts). Per client address (in
 * memory): at most `perAddressPerMinute` attempts, so one client cannot spray many accounts.
 * Unknown names are counted like known ones, so answers do not tell which names exist.
 */
export class SignInGuard {
  readonly policy: LockoutPolicy;
  readonly #recent = new Map<string, number[]>();

  constructor(
    private readonly db: Kysely<VigilDatabase>,
    private readonly clock: Clock,
    policy: Partial<LockoutPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_LOCKOUT, ...policy };
  }

  /** Counts an attempt from `address`; false when it is over its rate. */
  allowAddress(address: string): boolean {
    const now = this.clock.now();
    const recent = (this.#recent.get(address) ?? []).filter((at) => now - at < MINUTE_MS);
    this.#recent.delete(address); // re-inserted last: the Map's order is least recently used first
    if (recent.length >= this.policy.perAddressPerMinute) {
      this.#recent.set(address, recent);
      return false;
    }
    recent.push(now);
    this.#recent.set(address, recent);
    while (this.#recent.size > MAX_ADDRESSES) this.#recent.delete(this.#recent.keys().next().value as string);
    return true;
  }

  /** When `name`'s lockout ends (ms), or undefined when it is not locked. */
  async lockedUntil(name: string): Promise<number | undefined> {
    const now = this.clock.now();
    const attempts = await this.db
      .selectFrom('console_sign_in_attempts')
      .select(['at_ms', 'ok'])
      .where('name', '=', name)
      .where('at_ms', '>', now - Math.max(this.policy.windowMs, this.policy.lockMs))
      .orderBy('at_ms', 'desc')
      .limit(this.policy.maxFailures)
      .execute();
    if (attempts.length < this.policy.maxFailures || attempts.some((a) => Number(a.ok) !== 0))
      return undefined;
    const newest = Number(attempts[0]?.at_ms);
    const oldest = Number(attempts[attempts.length - 1]?.at_ms);
    if (newest - oldest > this.policy.windowMs) return undefined;
    const until = newest + this.policy.lockMs;
    return until > now ? until : undefined;
  }

  /** Records an attempt on `name`; `locked` when this failure is the one that locks it. */
  async record(name: string, ok: boolean): Promise<{ locked: boolean }> {
    const now = this.clock.now();
    // Failures stop mattering once one succeeds, or once they are older than both window and lock.
    await this.db
      .deleteFrom('console_sign_in_attempts')
      .where((eb) =>
        eb.or([
          eb('at_ms', '<=', now - Math.max(this.policy.windowMs, this.policy.lockMs)),
          ...(ok ? [eb('name', '=', name)] : []),
        ]),
      )
      .execute();
    if (ok) return { locked: false };
    await this.db.insertInto('console_sign_in_attempts').values({ name, at_ms: now, ok: 0 }).execute();
    return { locked: (await this.lockedUntil(name)) !== undefined };
  }
}
