import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock.js';
import { VigilError } from '../../core/vigil-error.js';
import type { VigilDatabase } from '../../store/database-schema.js';
import type { ConsoleUser } from './account-store.js';
import type { ServerAuthErrorCode } from './errors.js';

/** Where the ceremonies happen: the console's own origin, never the watched provider's. */
export interface RelyingParty {
  /** The console's origin, e.g. `https://vigil.example:8443`: what the browser signs into clientDataJSON. */
  readonly origin: string;
  /** The name authenticators show. */
  readonly name: string;
}

/** WebAuthn Level 3 §13.4.3: challenges are single use and short lived. */
const CHALLENGE_TTL_MS = 5 * 60_000;
const MAX_PENDING = 1_000;

interface PendingChallenge {
  readonly purpose: 'register' | 'authenticate';
  readonly userId?: string;
  readonly expiresMs: number;
}

/**
 * Passkeys (WebAuthn, @simplewebauthn/server), the primary way in. Registration runs at enrolment;
 * authentication asks for a discoverable credential (no name typed) and finds the user by the
 * credential id. The relying party id is the console's host name (from the serve URL): browsers
 * refuse IP addresses as an RP id, so passkeys need the console reached by a name (`localhost`
 * included); TOTP works either way. User verification (the authenticator's PIN or biometric) is
 * required, so a passkey alone is two factors, something held and something known or been, and a
 * stolen security key without its PIN signs nobody in. Attestation is not asked for ('none'): Vigil trusts the person
 * at enrolment, not an authenticator vendor. Challenges live in memory for five minutes and are
 * used once; a restart simply asks the person to try again.
 */
export class Passkeys {
  readonly #pending = new Map<string, PendingChallenge>();
  readonly rpID: string;

  constructor(
    private readonly db: Kysely<VigilDatabase>,
    private readonly clock: Clock,
    private readonly rp: RelyingParty,
  ) {
    this.rpID = new URL(rp.origin).hostname;
  }

  async registrationOptions(user: ConsoleUser): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.db
      .selectFrom('console_passkeys')
      .select(['id', 'transports'])
      .where('user_id', '=', user.id)
      .execute();
    const options = await generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rpID,
      userName: user.name,
      userID: new TextEncoder().encode(user.id),
      attestationType: 'none',
      excludeCredentials: existing.map((c) => ({ id: c.id, transports: transportsOf(c.transports) })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    this.#remember(options.challenge, { purpose: 'register', userId: user.id });
    return options;
  }

  /** Verifies a registration answer for `user` and stores the credential; PASSKEY_REFUSED when it does not verify. */
  async register(user: ConsoleUser, response: RegistrationResponseJSON): Promise<{ credentialId: string }> {
    let verification;
    try {
      verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: (challenge) => this.#take(challenge, 'register', user.id),
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rpID,
        requireUserVerification: true,
      });
    } catch (cause) {
      throw refused('the passkey registration did not verify', cause);
    }
    if (!verification.verified) throw refused('the passkey registration did not verify');
    const { credential } = verification.registrationInfo;
    const now = this.clock.now();
    await this.db
      .insertInto('console_passkeys')
      .values({
        id: credential.id,
        user_id: user.id,
        public_key: Buffer.from(credential.publicKey),
        counter: credential.counter,
        transports: JSON.stringify(credential.transports ?? []),
        created_ms: now,
        last_used_ms: null,
      })
      .execute();
    return { credentialId: credential.id };
  }

  async authenticationOptions(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({ rpID: this.rpID, userVerification: 'required' });
    this.#remember(options.challenge, { purpose: 'authenticate' });
    return options;
  }

  /** The user id whose passkey signed the answer; PASSKEY_REFUSED when it does not verify. */
  async authenticate(response: AuthenticationResponseJSON): Promise<{ userId: string }> {
    const stored =
      typeof response.id === 'string' && response.id.length <= 1400
        ? await this.db
            .selectFrom('console_passkeys')
            .selectAll()
            .where('id', '=', response.id)
            .executeTakeFirst()
        : undefined;
    if (!stored) throw refused('no passkey with that credential id is registered here');
    const handle = response.response.userHandle;
    if (handle !== undefined && Buffer.from(handle, 'base64url').toString('utf8') !== stored.user_id)
      throw refused('the passkey answered for another user');
    let verification;
    try {
      verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: (challenge) => this.#take(challenge, 'authenticate'),
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rpID,
        credential: {
          id: stored.id,
          publicKey: new Uint8Array(stored.public_key),
          counter: Number(stored.counter),
          transports: transportsOf(stored.transports),
        },
        requireUserVerification: true,
      });
    } catch (cause) {
      throw refused('the passkey sign-in did not verify', cause);
    }
    if (!verification.verified) throw refused('the passkey sign-in did not verify');
    await this.db
      .updateTable('console_passkeys')
      .set({ counter: verification.authenticationInfo.newCounter, last_used_ms: this.clock.now() })
      .where('id', '=', stored.id)
      .execute();
    return { userId: stored.user_id };
  }

  #remember(challenge: string, pending: Omit<PendingChallenge, 'expiresMs'>): void {
    const now = this.clock.now();
    for (const [key, value] of this.#pending) if (value.expiresMs <= now) this.#pending.delete(key);
    while (this.#pending.size >= MAX_PENDING)
      this.#pending.delete(this.#pending.keys().next().value as string);
    this.#pending.set(challenge, { ...pending, expiresMs: now + CHALLENGE_TTL_MS });
  }

  /** Whether `challenge` was handed out for this ceremony and is still fresh; it is spent either way. */
  #take(challenge: string, purpose: PendingChallenge['purpose'], userId?: string): boolean {
    const pending = this.#pending.get(challenge);
    this.#pending.delete(challenge);
    return (
      pending !== undefined &&
      pending.purpose === purpose &&
      pending.userId === userId &&
      pending.expiresMs > this.clock.now()
    );
  }
}

function transportsOf(json: string): AuthenticatorTransportFuture[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed)
      ? (parsed.filter((t) => typeof t === 'string') as AuthenticatorTransportFuture[])
      : [];
  } catch {
    return [];
  }
}

type AuthenticatorTransportFuture = NonNullable<RegistrationResponseJSON['response']['transports']>[number];

function refused(message: string, cause?: unknown): VigilError<ServerAuthErrorCode> {
  return new VigilError<ServerAuthErrorCode>('PASSKEY_REFUSED', message, {
    category: 'input',
    ...(cause === undefined ? {} : { cause }),
  });
}
