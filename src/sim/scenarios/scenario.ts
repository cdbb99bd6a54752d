import type { Random } from '../../core/seeded-random.js';
import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import type { ConfigChange } from '../config/shadow-change.js';
import type { EventFactory } from '../events/event-factory.js';
import type { SimOrg } from '../org/sim-org.js';

/** Ask for a scenario by name, optionally at a fixed time (else a seeded time inside the history). */
export interface ScenarioPlan {
  readonly name: string;
  readonly at?: number;
}

export interface ScenarioContext {
  readonly org: SimOrg;
  readonly random: Random;
  /** When the attack starts (ms). */
  readonly start: number;
  readonly events: EventFactory;
}

/** What a drill is graded against: which events are the attack and which detections must fire. */
export interface ScenarioTruth {
  readonly scenario: string;
  readonly attackEventIds: string[];
  readonly expectedDetections: string[];
  /** For a provider-breach scenario: what the response to it is graded against (`vigil drill`). */
  readonly breach?: BreachTruth;
}

/**
 * A provider breach as the provider announced it, and what a correct response finds and does. The
 * window and indicators are what a customer would be given; the rest is what only the drill knows.
 */
export interface BreachTruth {
  /** The breach window as the provider published it, placed relative to the simulated attack. */
  readonly publishedWindow: { readonly from: string; readonly to: string; readonly basis: string };
  /** The indicators the provider published: what the scenario's attacker used. */
  readonly iocs: readonly ScenarioIoc[];
  /** The people a correct report names as affected (ids as the log gives them). */
  readonly principals: readonly ScenarioPrincipal[];
  /** What a correct response does at the provider (every one expected, none optional). */
  readonly containment: readonly ExpectedContainment[];
  /**
   * The support-performed actions in the attack, each with the approved ticket covering it (a case
   * number) or null when none does: what support reconciliation must find.
   */
  readonly supportActions: readonly { readonly eventId: string; readonly approvedTicket: string | null }[];
}

export type ScenarioIoc =
  | { readonly kind: 'ip'; readonly value: string }
  | { readonly kind: 'cidr'; readonly value: string }
  | { readonly kind: 'user-agent'; readonly value: string }
  | { readonly kind: 'asn'; readonly value: string };

export interface ScenarioPrincipal {
  readonly id: string;
  readonly login: string;
  /** Why a report must name them, in a few words. */
  readonly why: string;
}

/** One provider-side action of a correct containment; `target` is the provider's id of its object. */
export type ExpectedContainment =
  | { readonly kind: 'revoke-support-access' }
  | { readonly kind: 'clear-sessions'; readonly target: string }
  | { readonly kind: 'reset-factors'; readonly target: string }
  | { readonly kind: 'suspend-user'; readonly target: string }
  | { readonly kind: 'revoke-api-token'; readonly target: string }
  | { readonly kind: 'deactivate-idp'; readonly target: string }
  | { readonly kind: 'revert-policy-rule'; readonly target: string };

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The attack's events and, when it changes the org's configuration, those changes (by API path). */
  build(ctx: ScenarioContext): {
    events: OktaLogEvent[];
    truth: ScenarioTruth;
    config?: ConfigChange[];
    /** The people the attack made in the org (its events record their creation). */
    users?: ScenarioUser[];
  };
}

/** A user a scenario creates: the simulator's user APIs know them from then on. */
export interface ScenarioUser {
  readonly id: string;
  readonly login: string;
}
