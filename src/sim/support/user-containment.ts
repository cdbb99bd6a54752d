import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { AuthnUser, AuthnUsers } from '../authn/authn-users.js';
import { OktaApiError } from '../errors.js';
import type { EventFactory, SimOrigin } from '../events/event-factory.js';
import type { SimUser } from '../org/sim-org.js';

/** What containment did to one user, as the simulator's state shows it (tests read it). */
export interface ContainedUser {
  readonly sessionsClearedAt: readonly number[];
  readonly factorsResetAt: readonly number[];
}

/**
 * The user operations an incident responder runs (Okta's management API, `UserApi`): clear a
 * user's sessions, suspend, reset every factor. Each changes the user and writes the System Log
 * event Okta writes (actor the token's owner, from the admin's usual address): `user.session.clear`,
 * `user.lifecycle.suspend`, `user.mfa.factor.reset_all`. Refusals are Okta's: 404 E0000007 for an
 * unknown user, 400 E0000001 to suspend a user who is not ACTIVE.
 */
export class UserContainment {
  readonly #state = new Map<string, { sessionsClearedAt: number[]; factorsResetAt: number[] }>();

  constructor(
    private readonly deps: {
      readonly users: AuthnUsers;
      readonly now: () => number;
      readonly events: EventFactory;
      readonly actor: SimUser;
      readonly origin: SimOrigin;
      readonly emit: (event: OktaLogEvent) => void;
    },
  ) {}

  /** `DELETE /api/v1/users/{userId}/sessions`: 204; Okta logs it even when there was no session. */
  clearSessions(userId: string, requestUri: string): void {
    const user = this.#user(userId);
    this.#of(user.id).sessionsClearedAt.push(this.deps.now());
    this.#write(user, 'user.session.clear', 'Clear user session', requestUri);
  }

  /** `POST /api/v1/users/{userId}/lifecycle/suspend`: an ACTIVE user only. */
  suspend(userId: string, requestUri: string): void {
    const user = this.#user(userId);
    if (user.status !== 'ACTIVE')
      throw new OktaApiError(400, 'E0000001', 'Api validation failed: user', [
        'Cannot suspend a user that is not active',
      ]);
    user.status = 'SUSPENDED';
    user.statusChanged = this.deps.now();
    this.#write(user, 'user.lifecycle.suspend', 'Suspend Okta user', requestUri);
  }

  /** `POST /api/v1/users/{userId}/lifecycle/reset_factors`: every enrolled factor goes. */
  resetFactors(userId: string, requestUri: string): void {
    const user = this.#user(userId);
    this.#of(user.id).factorsResetAt.push(this.deps.now());
    this.#write(user, 'user.mfa.factor.reset_all', 'Reset all factors for user', requestUri);
  }

  /** What containment did to the user so far. */
  state(userId: string): ContainedUser {
    const s = this.#state.get(userId);
    return {
      sessionsClearedAt: [...(s?.sessionsClearedAt ?? [])],
      factorsResetAt: [...(s?.factorsResetAt ?? [])],
    };
  }

  #of(id: string) {
    let s = this.#state.get(id);
    if (!s) this.#state.set(id, (s = { sessionsClearedAt: [], factorsResetAt: [] }));
    return s;
  }

  #user(key: string): AuthnUser {
    const user = this.deps.users.byIdOrLogin(key);
    if (!user) throw new OktaApiError(404, 'E0000007', `Not found: Resource not found: ${key} (User)`);
    return user;
  }

  #write(user: AuthnUser, eventType: string, displayMessage: string, requestUri: string): void {
    const { events } = this.deps;
    this.deps.emit(
      events.build({
        eventType,
        displayMessage,
        published: this.deps.now(),
        actor: events.userActor(this.deps.actor),
        origin: this.deps.origin,
        target: [
          {
            id: user.id,
            type: 'User',
            alternateId: user.login,
            displayName: `${user.firstName} ${user.lastName}`,
            detailEntry: null,
          },
        ],
        debugData: { requestUri, url: requestUri },
      }),
    );
  }
}
