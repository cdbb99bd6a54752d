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
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The attack's events and, when it changes the org's configuration, those changes (by API path). */
  build(ctx: ScenarioContext): { events: OktaLogEvent[]; truth: ScenarioTruth; config?: ConfigChange[] };
}
