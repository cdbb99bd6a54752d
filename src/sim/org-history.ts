import { createRandom, type Random } from '../core/seeded-random.js';
import type { ConfigChange } from './config/shadow-change.js';
import type { OktaLogEvent } from '../sources/okta/log-event.js';
import { EventFactory } from './events/event-factory.js';
import { buildSimOrg, type SimOrg } from './org/sim-org.js';
import type { ScenarioPlan, ScenarioTruth, ScenarioUser } from './scenarios/scenario.js';
import { SCENARIOS } from './scenarios/registry.js';
import { orgDay } from './traffic/org-day.js';
import { VigilError } from '../core/vigil-error.js';
import type { SimErrorCode } from './errors.js';

const DAY = 86_400_000;

/**
 * The simulated organisation's history, without any HTTP: the same seed gives the same people and
 * the same events. Days are generated on demand, so live traffic can follow the clock.
 */
export class OrgHistory {
  readonly org: SimOrg;
  readonly scenarioTruth: ScenarioTruth[] = [];
  /** The configuration changes the placed scenarios made (their events record them). */
  readonly scenarioConfigChanges: ConfigChange[] = [];
  /** The users the placed scenarios created. */
  readonly scenarioUsers: ScenarioUser[] = [];
  readonly #random: Random;
  #nextDay: number;

  constructor(readonly options: { seed: number; users: number; startMs: number }) {
    this.#random = createRandom(options.seed);
    this.org = buildSimOrg(this.#random, options.users);
    this.#nextDay = Math.floor(options.startMs / DAY);
  }

  /** Background events of every whole or partial day up to `untilMs`, not yet handed out. */
  generateUntil(untilMs: number): OktaLogEvent[] {
    const out: OktaLogEvent[] = [];
    const lastDay = Math.floor(untilMs / DAY);
    for (; this.#nextDay <= lastDay; this.#nextDay++) {
      for (const e of orgDay(this.org, this.#random.fork('traffic'), this.#nextDay * DAY)) {
        if (Date.parse(e.published) >= this.options.startMs) out.push(e);
      }
    }
    return out;
  }

  /** Places each scenario at its time (or a seeded one between `from` and `to`). */
  scenarioEvents(plans: readonly ScenarioPlan[], from: number, to: number): OktaLogEvent[] {
    const out: OktaLogEvent[] = [];
    for (const plan of plans) {
      const scenario = SCENARIOS.get(plan.name);
      if (!scenario) {
        throw new VigilError<SimErrorCode>(
          'SIM_BAD_OPTIONS',
          `unknown scenario '${plan.name}' (known: ${[...SCENARIOS.keys()].join(', ') || 'none'})`,
          { category: 'input' },
        );
      }
      const random = this.#random.fork(`scenario:${plan.name}`);
      const start = plan.at ?? from + Math.floor(random.next() * Math.max(1, to - from));
      const built = scenario.build({
        org: this.org,
        random,
        start,
        events: new EventFactory(this.org, random),
      });
      out.push(...built.events);
      this.scenarioTruth.push(built.truth);
      this.scenarioConfigChanges.push(...(built.config ?? []));
      this.scenarioUsers.push(...(built.users ?? []));
    }
    return out;
  }
}

/** All background events of an org of `users` over the `days` before `endMs` (benchmarks, demo). */
export function generateOrgHistory(options: {
  seed: number;
  users: number;
  days: number;
  endMs: number;
}): OktaLogEvent[] {
  const history = new OrgHistory({
    seed: options.seed,
    users: options.users,
    startMs: options.endMs - options.days * DAY,
  });
  return history
    .generateUntil(options.endMs)
    .filter((e) => Date.parse(e.published) <= options.endMs)
    .sort((a, b) => a.published.localeCompare(b.published));
}
