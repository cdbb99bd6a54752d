import type { Random } from '../../core/seeded-random.js';
import type { OktaTarget } from '../../sources/okta/log-event.js';
import type { ConfigModel } from '../config/config-model.js';
import { OktaApiError } from '../errors.js';
import type { SimUser } from '../org/sim-org.js';
import type { AuthnEvents, AuthnRequest } from './authn-events.js';
import type { AuthnUser, AuthnUsers } from './authn-users.js';
import type { Enforcement } from './enforcement.js';
import { evaluateSignOn, lockoutFor } from './sign-on-evaluator.js';
import { totpMatches } from '../../sources/totp.js';

/** An answer of the authn path: the HTTP status, the JSON body and extra headers. */
export interface AuthnAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

interface Transaction {
  readonly userId: string;
  readonly expiresAt: number;
  readonly state: 'MFA_REQUIRED' | 'MFA_ENROLL' | 'PASSWORD_EXPIRED';
}

/** Okta's per-username limit on `/api/v1/authn` (all orgs): 4 requests per second. */
export const AUTHN_PER_USER_PER_SECOND = 4;
const TRANSACTION_MS = 5 * 60_000;
const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 429 E0000047 with the per-username bucket's headers. */
export class PerUserRateLimited extends OktaApiError {
  constructor(readonly headers: Readonly<Record<string, string>>) {
    super(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
  }
}

const authFailed = () => new OktaApiError(401, 'E0000004', 'Authentication failed');
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Okta's Classic Authentication API over the simulator's org (docs/simulator-config.md,
 * "Authentication API and enforcement controls"): primary authentication, TOTP verification,
 * lockout on the password policy, the global session policy's rules, and the System Log events of
 * every attempt, minus whatever the enforcement controls say the provider has stopped enforcing.
 */
export class AuthnService {
  readonly #transactions = new Map<string, Transaction>();
  readonly #perUser = new Map<string, { second: number; count: number }>();

  constructor(
    private readonly deps: {
      readonly model: ConfigModel;
      readonly users: AuthnUsers;
      readonly enforcement: Enforcement;
      readonly events: AuthnEvents;
      readonly random: Random;
      readonly now: () => number;
      readonly baseUrl: () => string;
      /** The API token's owner: the actor of admin actions (unlock). */
      readonly admin: SimUser;
    },
  ) {}

  /** `POST /api/v1/authn`. */
  primary(body: unknown, request: AuthnRequest): AuthnAnswer {
    const { username, password } = (typeof body === 'object' && body !== null ? body : {}) as {
      username?: unknown;
      password?: unknown;
    };
    const causes = [
      ...(typeof username === 'string' && username !== ''
        ? []
        : ['username: The field cannot be left blank']),
      ...(typeof password === 'string' && password !== ''
        ? []
        : ['password: The field cannot be left blank']),
    ];
    if (causes.length > 0)
      throw new OktaApiError(400, 'E0000001', 'Api validation failed: authRequest', causes);
    const login = username as string;
    this.#limit(login);
    const { events, enforcement } = this.deps;
    const user = this.deps.users.byLogin(login);
    const actor = events.actorOf(user, login);
    const failure = (reason: string) =>
      events.write(request, {
        eventType: 'user.session.start',
        displayMessage: 'User login to Okta',
        legacyEventType: 'core.user_auth.login_failed',
        severity: 'WARN',
        actor,
        outcome: { result: 'FAILURE', reason },
        target: user ? [this.#passwordTarget(user)] : null,
      });
    if (!user) {
      failure('VERIFICATION_ERROR');
      throw authFailed();
    }
    if (
      (user.status === 'DEPROVISIONED' || user.status === 'SUSPENDED') &&
      !enforcement.skips('allow-deactivated', user.login)
    ) {
      failure('VERIFICATION_ERROR');
      throw authFailed();
    }
    this.autoUnlock(user);
    const lockout = lockoutFor(this.deps.model, user);
    const skipLockout = enforcement.skips('skip-lockout', user.login);
    const lockedAnswer = (): AuthnAnswer => {
      if (!lockout.showLockoutFailures) throw authFailed();
      return {
        status: 200,
        body: {
          status: 'LOCKED_OUT',
          _links: { next: this.#link('/api/v1/authn/recovery/unlock', 'unlock') },
        },
      };
    };
    if (user.status === 'LOCKED_OUT' && !skipLockout) {
      failure('LOCKED_OUT');
      return lockedAnswer();
    }
    if (user.password === undefined || password !== user.password) {
      failure('INVALID_CREDENTIALS');
      if (!skipLockout) {
        user.failures++;
        // Only an ACTIVE account locks: a deactivated one let in by a bypass keeps its status.
        if (lockout.maxAttempts > 0 && user.failures >= lockout.maxAttempts && user.status === 'ACTIVE') {
          this.#setStatus(user, 'LOCKED_OUT');
          user.lockedAt = this.deps.now();
          events.write(request, {
            eventType: 'user.account.lock',
            displayMessage: 'Max sign in attempts exceeded',
            legacyEventType: 'core.user_auth.account_locked',
            severity: 'WARN',
            actor,
            outcome: { result: 'FAILURE', reason: 'LOCKED_OUT' },
            target: [events.userTarget(user)],
          });
          return lockedAnswer();
        }
      }
      throw authFailed();
    }
    user.failures = 0;

    const decision = evaluateSignOn(this.deps.model, user, request.ip, {
      ignoreZones: enforcement.skips('ignore-zones', user.login),
    });
    const entity = (
      o: Record<string, unknown>,
      type: string,
      detailEntry: Record<string, string> | null,
    ) => ({
      id: String(o['id']),
      type,
      alternateId: 'unknown',
      displayName: String(o['name']),
      detailEntry,
    });
    events.write(request, {
      eventType: 'policy.evaluate_sign_on',
      displayMessage: 'Evaluation of sign-on policy',
      actor,
      outcome: {
        result: decision.access,
        reason: `Sign-on policy evaluation resulted in ${decision.access}`,
      },
      target:
        decision.policy && decision.rule
          ? [
              entity(decision.policy, 'PolicyEntity', { policyType: 'OktaSignOn' }),
              entity(decision.rule, 'PolicyRule', null),
            ]
          : null,
      debugData: {
        ...(decision.policy ? { matchedPolicyId: String(decision.policy['id']) } : {}),
        ...(decision.rule ? { matchedRuleId: String(decision.rule['id']) } : {}),
        requireFactor: String(decision.requireFactor),
      },
    });
    if (decision.access === 'DENY') {
      failure('POLICY_DENY');
      throw authFailed();
    }
    if (decision.requireFactor && !enforcement.skips('skip-mfa', user.login)) {
      return user.factor ? this.#mfaRequired(user) : this.#mfaEnroll(user);
    }
    return this.#afterFactor(user, request);
  }

  /** `POST /api/v1/authn/factors/{factorId}/verify` for a TOTP factor. */
  verify(factorId: string, body: unknown, request: AuthnRequest): AuthnAnswer {
    const { stateToken, passCode } = (typeof body === 'object' && body !== null ? body : {}) as {
      stateToken?: unknown;
      passCode?: unknown;
    };
    const tx = typeof stateToken === 'string' ? this.#transactions.get(stateToken) : undefined;
    if (!tx || tx.expiresAt <= this.deps.now() || tx.state !== 'MFA_REQUIRED') {
      throw new OktaApiError(403, 'E0000011', 'Invalid token provided');
    }
    const user = this.deps.users.byIdOrLogin(tx.userId)!;
    this.#limit(user.login);
    if (user.factor?.id !== factorId) {
      throw new OktaApiError(404, 'E0000007', `Not found: Resource not found: ${factorId} (UserFactor)`);
    }
    const ok = typeof passCode === 'string' && totpMatches(user.factor.secret, passCode, this.deps.now());
    const { events } = this.deps;
    events.write(request, {
      eventType: 'user.authentication.auth_via_mfa',
      displayMessage: 'Authentication of user via MFA',
      legacyEventType: ok ? 'core.user.factor.attempt_success' : 'core.user.factor.attempt_fail',
      severity: ok ? 'INFO' : 'WARN',
      actor: events.actorOf(user, user.login),
      outcome: ok ? { result: 'SUCCESS' } : { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
      authenticationProvider: 'FACTOR_PROVIDER',
      credentialProvider: 'GOOGLE_OTP',
      target: [
        events.userTarget(user),
        {
          id: user.factor.id,
          type: 'AuthenticatorEnrollment',
          alternateId: 'unknown',
          displayName: 'Google Authenticator',
          detailEntry: { methodTypeUsed: 'Enter a passcode', methodUsedVerifiedProperties: '[]' },
        },
      ],
      debugData: { factor: 'GOOGLE_OTP' },
    });
    if (!ok) {
      throw new OktaApiError(403, 'E0000068', 'Invalid Passcode/Answer', [
        "Your passcode doesn't match our records. Please try again.",
      ]);
    }
    this.#transactions.delete(stateToken as string);
    return this.#afterFactor(user, request);
  }

  /** `POST /api/v1/authn/cancel`: ends a transaction. */
  cancel(body: unknown): AuthnAnswer {
    const { stateToken } = (typeof body === 'object' && body !== null ? body : {}) as {
      stateToken?: unknown;
    };
    const tx = typeof stateToken === 'string' ? this.#transactions.get(stateToken) : undefined;
    if (!tx || tx.expiresAt <= this.deps.now())
      throw new OktaApiError(403, 'E0000011', 'Invalid token provided');
    this.#transactions.delete(stateToken as string);
    return { status: 200, body: {} };
  }

  /** `POST /api/v1/users/{id}/lifecycle/unlock` by the token's owner. */
  unlock(key: string, request: AuthnRequest): AuthnAnswer {
    const user = this.#user(key);
    this.autoUnlock(user);
    if (user.status !== 'LOCKED_OUT') {
      throw new OktaApiError(403, 'E0000032', 'Unlock is not allowed for this user.');
    }
    this.#unlock(user);
    const { events } = this.deps;
    events.write(request, {
      eventType: 'user.account.unlock_by_admin',
      displayMessage: 'Unlock user account by admin',
      legacyEventType: 'core.user.account.unlock_by_admin',
      actor: events.factory.userActor(this.deps.admin),
      target: [events.userTarget(user)],
    });
    return { status: 200, body: {} };
  }

  /** `GET /api/v1/users/{id or login}`: Okta's User. */
  user(key: string): AuthnAnswer {
    const user = this.#user(key);
    this.autoUnlock(user);
    const base = this.deps.baseUrl();
    return {
      status: 200,
      body: {
        id: user.id,
        status: user.status,
        created: iso(user.created),
        activated: iso(user.created),
        statusChanged: iso(user.statusChanged),
        lastLogin: user.lastLogin === undefined ? null : iso(user.lastLogin),
        lastUpdated: iso(Math.max(user.statusChanged, user.created)),
        passwordChanged: iso(user.created),
        type: { id: 'oty' + user.id.slice(3) },
        profile: { login: user.login, email: user.login, firstName: user.firstName, lastName: user.lastName },
        credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
        _links: { self: { href: `${base}/api/v1/users/${user.id}` } },
      },
    };
  }

  /**
   * A locked user whose password policy unlocks after `autoUnlockMinutes` is ACTIVE again once they
   * have passed on the simulator's clock (Okta's system principal writes `user.account.unlock`).
   */
  autoUnlock(user: AuthnUser): void {
    if (user.status !== 'LOCKED_OUT' || user.lockedAt === undefined) return;
    const { autoUnlockMinutes } = lockoutFor(this.deps.model, user);
    if (autoUnlockMinutes === 0 || this.deps.now() < user.lockedAt + autoUnlockMinutes * 60_000) return;
    this.#unlock(user);
    const { events } = this.deps;
    events.writeSystem({
      eventType: 'user.account.unlock',
      displayMessage: 'Unlock user account',
      legacyEventType: 'core.user.account.unlock',
      actor: events.factory.systemActor(),
      target: [events.userTarget(user)],
    });
  }

  #unlock(user: AuthnUser): void {
    this.#setStatus(user, 'ACTIVE');
    user.failures = 0;
    user.lockedAt = undefined;
  }

  #user(key: string): AuthnUser {
    const user = this.deps.users.byIdOrLogin(key);
    if (!user) throw new OktaApiError(404, 'E0000007', `Not found: Resource not found: ${key} (User)`);
    return user;
  }

  #setStatus(user: AuthnUser, status: AuthnUser['status']): void {
    user.status = status;
    user.statusChanged = this.deps.now();
  }

  /** Okta's per-username limit: the 5th request for one username within a second is refused. */
  #limit(username: string): void {
    const now = this.deps.now();
    const second = Math.floor(now / 1000);
    const key = username.toLowerCase();
    const seen = this.#perUser.get(key);
    const count = seen?.second === second ? seen.count + 1 : 1;
    this.#perUser.set(key, { second, count });
    if (this.#perUser.size > 10_000)
      for (const [k, v] of this.#perUser) if (v.second !== second) this.#perUser.delete(k);
    if (count > AUTHN_PER_USER_PER_SECOND) {
      throw new PerUserRateLimited({
        'x-rate-limit-limit': String(AUTHN_PER_USER_PER_SECOND),
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(second + 1),
      });
    }
  }

  #afterFactor(user: AuthnUser, request: AuthnRequest): AuthnAnswer {
    if (user.passwordExpired) return this.#passwordExpired(user);
    const now = this.deps.now();
    user.lastLogin = now;
    const { events } = this.deps;
    events.write(request, {
      eventType: 'user.session.start',
      displayMessage: 'User login to Okta',
      legacyEventType: 'core.user_auth.login_success',
      actor: events.actorOf(user, user.login),
      outcome: { result: 'SUCCESS' },
      target: [this.#passwordTarget(user)],
    });
    return {
      status: 200,
      body: {
        expiresAt: iso(now + TRANSACTION_MS),
        status: 'SUCCESS',
        sessionToken: this.deps.random.chars(42, TOKEN_ALPHABET),
        _embedded: { user: this.#embeddedUser(user) },
        _links: {},
      },
    };
  }

  #mfaRequired(user: AuthnUser): AuthnAnswer {
    const factor = user.factor!;
    return this.#transaction(user, 'MFA_REQUIRED', {
      factors: [
        {
          id: factor.id,
          factorType: 'token:software:totp',
          provider: 'GOOGLE',
          vendorName: 'GOOGLE',
          profile: { credentialId: user.login },
          _links: { verify: this.#link(`/api/v1/authn/factors/${factor.id}/verify`) },
        },
      ],
      policy: {
        allowRememberDevice: false,
        rememberDeviceLifetimeInMinutes: 0,
        rememberDeviceByDefault: false,
        factorsPolicyInfo: {},
      },
    });
  }

  #mfaEnroll(user: AuthnUser): AuthnAnswer {
    return this.#transaction(user, 'MFA_ENROLL', {
      factors: [
        {
          factorType: 'token:software:totp',
          provider: 'GOOGLE',
          vendorName: 'GOOGLE',
          status: 'NOT_SETUP',
          enrollment: 'REQUIRED',
          _links: { enroll: this.#link('/api/v1/authn/factors') },
        },
      ],
    });
  }

  #passwordExpired(user: AuthnUser): AuthnAnswer {
    const policy = this.deps.model
      .list('/api/v1/policies')
      .find((p) => p['type'] === 'PASSWORD' && p['status'] === 'ACTIVE');
    const complexity =
      (policy?.['settings'] as { password?: { complexity?: unknown } } | undefined)?.password?.complexity ??
      {};
    return this.#transaction(
      user,
      'PASSWORD_EXPIRED',
      { policy: { complexity } },
      { next: this.#link('/api/v1/authn/credentials/change_password', 'changePassword') },
    );
  }

  #transaction(
    user: AuthnUser,
    state: Transaction['state'],
    embedded: Record<string, unknown>,
    links: Record<string, unknown> = {},
  ): AuthnAnswer {
    const now = this.deps.now();
    for (const [token, tx] of this.#transactions) if (tx.expiresAt <= now) this.#transactions.delete(token);
    const stateToken = '00' + this.deps.random.chars(40, TOKEN_ALPHABET);
    const expiresAt = now + TRANSACTION_MS;
    this.#transactions.set(stateToken, { userId: user.id, expiresAt, state });
    return {
      status: 200,
      body: {
        stateToken,
        expiresAt: iso(expiresAt),
        status: state,
        _embedded: { user: this.#embeddedUser(user), ...embedded },
        _links: { ...links, cancel: this.#link('/api/v1/authn/cancel') },
      },
    };
  }

  #embeddedUser(user: AuthnUser) {
    return {
      id: user.id,
      passwordChanged: iso(user.created),
      profile: {
        login: user.login,
        firstName: user.firstName,
        lastName: user.lastName,
        locale: 'en_US',
        timeZone: 'America/Los_Angeles',
      },
    };
  }

  #passwordTarget(user: AuthnUser): OktaTarget {
    return {
      id: user.passwordEnrollmentId,
      type: 'AuthenticatorEnrollment',
      alternateId: 'unknown',
      displayName: 'Password',
      detailEntry: null,
    };
  }

  #link(path: string, name?: string) {
    return { ...(name ? { name } : {}), href: `${this.deps.baseUrl()}${path}`, hints: { allow: ['POST'] } };
  }
}
