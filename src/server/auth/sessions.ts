import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { VigilDatabase } from '../../store/database-schema.js';
import { newSecret, secretHash } from './opaque-secret.js';

export const SESSION_COOKIE = 'vigil_session';

export interface SessionPolicy {
  /** A session unused this long ends. */
  readonly idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  readonly absoluteMs: number;
}

/** OWASP's session guidance for a sensitive application: 30 minutes idle, a working day at most. */
export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * 60 * 60_000 };

/** How the person proved who they are. */
export type SignInMethod = 'passkey' | 'totp' | 'recovery' | 'enrolment';

export interface LiveSession {
  /** The SHA-256 of the cookie's value: safe to log or audit, useless to replay. */
  readonly id: string;
  readonly userId: string;
  readonly csrfToken: string;
  readonly absoluteExpiresMs: number;
}

/** Writes of `last_seen` closer together than this are skipped: a page's burst of requests writes once. */
const TOUCH_EVERY_MS = 15_000;

/**
 * Browser sessions. The cookie carries 256 random bits; the store keeps their SHA-256, who, how,
 * and the two deadlines, read against the injected clock. Expired sessions are deleted when met
 * and whenever a new session starts.
 */
export class Sessions {
  readonly policy: SessionPolicy;

  constructor(
    private readonly db: Kysely<VigilDatabase>,
    private readonly clock: Clock,
    policy: Partial<SessionPolicy> = {},
  ) {
    this.policy = { ...DEFAULT_SESSION_POLICY, ...policy };
  }

  /** A new session: the cookie value (give it to the browser, keep it nowhere) and the session. */
  async create(userId: string, method: SignInMethod): Promise<{ cookie: string; session: LiveSession }> {
    const cookie = newSecret('vs_');
    const csrfToken = newSecret('vc_');
    const now = this.clock.now();
    const absolute = now + this.policy.absoluteMs;
    const row = {
      id_hash: secretHash(cookie),
      user_id: userId,
      method,
      created_ms: now,
      last_seen_ms: now,
      idle_expires_ms: Math.min(now + this.policy.idleMs, absolute),
      absolute_expires_ms: absolute,
      csrf_token: csrfToken,
    };
    // Sessions that ended unseen (a browser closed, never back) go as new ones start.
    await this.db
      .deleteFrom('console_sessions')
      .where((eb) => eb.or([eb('idle_expires_ms', '<=', now), eb('absolute_expires_ms', '<=', now)]))
      .execute();
    await this.db.insertInto('console_sessions').values(row).execute();
    return { cookie, session: { id: row.id_hash, userId, csrfToken, absoluteExpiresMs: absolute } };
  }

  /** The live session behind a cookie value, its idle deadline moved on; undefined when none or expired. */
  async resolve(cookie: string): Promise<LiveSession | undefined> {
    if (!cookie.startsWith('vs_') || cookie.length > 100) return undefined;
    const id = secretHash(cookie);
    const row = await this.db
      .selectFrom('console_sessions')
      .selectAll()
      .where('id_hash', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    const now = this.clock.now();
    const absolute = Number(row.absolute_expires_ms);
    if (now >= Number(row.idle_expires_ms) || now >= absolute) {
      await this.end(id);
      return undefined;
    }
    if (now - Number(row.last_seen_ms) >= TOUCH_EVERY_MS)
      await this.db
        .updateTable('console_sessions')
        .set({ last_seen_ms: now, idle_expires_ms: Math.min(now + this.policy.idleMs, absolute) })
        .where('id_hash', '=', id)
        .execute();
    return { id, userId: row.user_id, csrfToken: row.csrf_token, absoluteExpiresMs: absolute };
  }

  async end(id: string): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('id_hash', '=', id).execute();
  }
}
