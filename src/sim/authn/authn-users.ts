import { z } from 'zod';
import type { Random } from '../../core/seeded-random.js';
import type { ConfigModel } from '../config/config-model.js';
import { OktaApiError } from '../errors.js';
import { oktaId } from '../org/okta-ids.js';
import type { SimOrg } from '../org/sim-org.js';
import { totpSecret } from './totp.js';

export type AuthnUserStatus = 'ACTIVE' | 'SUSPENDED' | 'DEPROVISIONED' | 'LOCKED_OUT';

/** A person as the authn path sees them: credentials, status, groups and the lockout count. */
export interface AuthnUser {
  readonly id: string;
  readonly login: string;
  readonly firstName: string;
  readonly lastName: string;
  /** The password's AuthenticatorEnrollment id (the target of sign-in events). */
  readonly passwordEnrollmentId: string;
  /** Undefined for the seeded people: nobody knows their password, so every attempt at them fails. */
  readonly password: string | undefined;
  readonly groups: ReadonlySet<string>;
  readonly factor: { readonly id: string; readonly secret: string } | undefined;
  readonly passwordExpired: boolean;
  readonly created: number;
  status: AuthnUserStatus;
  statusChanged: number;
  /** Failed passwords since the last good one (the password policy's lockout count). */
  failures: number;
  lockedAt: number | undefined;
  lastLogin: number | undefined;
}

/** What `POST /sim/users` and `sim.authn.createUser` answer: everything a test needs to sign in. */
export interface CreatedUser {
  readonly id: string;
  readonly login: string;
  readonly status: AuthnUserStatus;
  readonly password: string;
  readonly groups: readonly string[];
  readonly factors: readonly {
    readonly id: string;
    readonly factorType: 'token:software:totp';
    readonly provider: 'GOOGLE';
    readonly sharedSecret: string;
  }[];
}

const createInput = z
  .object({
    login: z
      .string()
      .min(3)
      .max(100)
      .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email-like login'),
    password: z.string().min(1).max(256).optional(),
    groups: z.array(z.string().min(1).max(200)).max(100).optional(),
    totp: z.boolean().optional(),
    status: z.enum(['ACTIVE', 'SUSPENDED', 'DEPROVISIONED', 'LOCKED_OUT']).optional(),
    passwordExpired: z.boolean().optional(),
    firstName: z.string().min(1).max(50).optional(),
    lastName: z.string().min(1).max(50).optional(),
  })
  .strict();

export type CreateUserInput = z.input<typeof createInput>;

const PASSWORD_ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * The org's users for authentication: the seeded people (ACTIVE, in Everyone, admins also in Okta
 * Administrators) and the users tests and drills create with known credentials (canaries).
 */
export class AuthnUsers {
  readonly #byLogin = new Map<string, AuthnUser>();
  readonly #byId = new Map<string, AuthnUser>();

  constructor(
    private readonly deps: {
      readonly org: SimOrg;
      readonly model: ConfigModel;
      readonly random: Random;
      readonly now: () => number;
      readonly startMs: number;
      /** Users an attack scenario created (ACTIVE, in Everyone only, no known password). */
      readonly scenarioUsers?: readonly { readonly id: string; readonly login: string }[];
    },
  ) {
    const admins = this.#groupId('Okta Administrators');
    for (const person of deps.org.users) {
      const [firstName = person.displayName, ...rest] = person.displayName.split(' ');
      this.#add({
        id: person.id,
        login: person.login,
        firstName,
        lastName: rest.join(' ') || firstName,
        passwordEnrollmentId: person.passwordEnrollmentId,
        password: undefined,
        groups: new Set([this.#everyone(), ...(person.isAdmin && admins ? [admins] : [])]),
        factor: undefined,
        passwordExpired: false,
        created: deps.startMs,
        status: 'ACTIVE',
        statusChanged: deps.startMs,
        failures: 0,
        lockedAt: undefined,
        lastLogin: undefined,
      });
    }
    for (const made of deps.scenarioUsers ?? []) {
      if (this.#byId.has(made.id) || this.byLogin(made.login)) continue;
      const name = made.login.split('@')[0]!;
      this.#add({
        id: made.id,
        login: made.login,
        firstName: name,
        lastName: name,
        passwordEnrollmentId: made.id.replace(/^00u/, 'laeu'),
        password: undefined,
        groups: new Set([this.#everyone()]),
        factor: undefined,
        passwordExpired: false,
        created: deps.startMs,
        status: 'ACTIVE',
        statusChanged: deps.startMs,
        failures: 0,
        lockedAt: undefined,
        lastLogin: undefined,
      });
    }
  }

  /** The user with this login (case-insensitive, as Okta matches usernames). */
  byLogin(login: string): AuthnUser | undefined {
    return this.#byLogin.get(login.toLowerCase());
  }

  byIdOrLogin(key: string): AuthnUser | undefined {
    return this.#byId.get(key) ?? this.byLogin(key);
  }

  /** Makes a user with known credentials; 400 E0000001 for a bad body or a login already taken. */
  create(body: unknown): CreatedUser {
    const parsed = createInput.safeParse(body ?? {});
    if (!parsed.success) {
      const causes = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
      throw new OktaApiError(400, 'E0000001', 'Api validation failed: user', causes);
    }
    const input = parsed.data;
    if (this.byLogin(input.login)) {
      throw new OktaApiError(400, 'E0000001', 'Api validation failed: login', [
        'login: An object with this field already exists in the current organization',
      ]);
    }
    const groups = new Set([this.#everyone()]);
    for (const g of input.groups ?? []) {
      const id = this.#groupId(g);
      if (!id)
        throw new OktaApiError(400, 'E0000001', 'Api validation failed: groups', [`groups: no group '${g}'`]);
      groups.add(id);
    }
    const r = this.deps.random;
    const now = this.deps.now();
    const status = input.status ?? 'ACTIVE';
    const [local = 'canary'] = input.login.split('@');
    const user: AuthnUser = {
      id: oktaId(r, '00u'),
      login: input.login,
      firstName: input.firstName ?? local,
      lastName: input.lastName ?? 'Canary',
      passwordEnrollmentId: oktaId(r, 'lae'),
      password: input.password ?? `${r.chars(20, PASSWORD_ALPHABET)}-9a`,
      groups,
      factor: input.totp === false ? undefined : { id: oktaId(r, 'uft'), secret: totpSecret(r) },
      passwordExpired: input.passwordExpired ?? false,
      created: now,
      status,
      statusChanged: now,
      failures: 0,
      lockedAt: status === 'LOCKED_OUT' ? now : undefined,
      lastLogin: undefined,
    };
    this.#add(user);
    this.deps.model.addUser(user.id);
    return {
      id: user.id,
      login: user.login,
      status: user.status,
      password: user.password!,
      groups: [...groups],
      factors: user.factor
        ? [
            {
              id: user.factor.id,
              factorType: 'token:software:totp',
              provider: 'GOOGLE',
              sharedSecret: user.factor.secret,
            },
          ]
        : [],
    };
  }

  #add(user: AuthnUser): void {
    this.#byLogin.set(user.login.toLowerCase(), user);
    this.#byId.set(user.id, user);
  }

  /** A group of the configuration by id or `profile.name`. */
  #groupId(key: string): string | undefined {
    const groups = this.deps.model.list('/api/v1/groups');
    const found =
      groups.find((g) => g['id'] === key) ??
      groups.find((g) => (g['profile'] as { name?: unknown } | undefined)?.name === key);
    return found ? String(found['id']) : undefined;
  }

  #everyone(): string {
    return this.#groupId('Everyone') ?? this.deps.org.groups.find((g) => g.name === 'Everyone')!.id;
  }
}
