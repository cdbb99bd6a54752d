import { createRandom } from '../../core/seeded-random.js';
import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import { EventFactory } from '../events/event-factory.js';
import type { SimOrg } from '../org/sim-org.js';
import type { ConfigModel } from './config-model.js';
import { profileFor, seedConfig, type ConfigProfile } from './config-seed.js';
import { ConfigWriter } from './config-writes.js';
import { applyConfigChange, type ConfigChange } from './shadow-change.js';

export interface OrgConfig {
  readonly model: ConfigModel;
  readonly writer: ConfigWriter;
  readonly profile: ConfigProfile;
  /** Applies the scenarios' changes whose time has come by `nowMs` (those placed after the start). */
  applyDue(nowMs: number): void;
}

/**
 * The org's configuration as the simulator serves it: seeded from the seed, the org and the start
 * time, with the scenarios' changes applied (their events are already in the log), and the writer
 * whose events go to `emit`, made by the org's first super admin.
 */
export function createOrgConfig(options: {
  readonly seed: number;
  readonly org: SimOrg;
  readonly startMs: number;
  readonly scenarioChanges: readonly ConfigChange[];
  readonly now: () => number;
  readonly emit: (event: OktaLogEvent) => void;
}): OrgConfig {
  const { seed, org } = options;
  const random = createRandom(seed).fork('config');
  const profile = profileFor(seed, org.users.length);
  const model = seedConfig(org, random.fork('seed'), profile, options.startMs);
  const changes = random.fork('scenarios');
  const pending: ConfigChange[] = [];
  for (const change of options.scenarioChanges) {
    if (change.at !== undefined && change.at > options.startMs) pending.push(change);
    else applyConfigChange(model, changes, options.startMs, change);
  }
  pending.sort((a, b) => a.at! - b.at!);
  const applyDue = (nowMs: number) => {
    while (pending.length > 0 && pending[0]!.at! <= nowMs) {
      const change = pending.shift()!;
      applyConfigChange(model, changes, change.at!, change);
    }
  };
  const events = new EventFactory(org, random.fork('events'));
  const actor = org.admins[0] ?? org.users[0]!;
  const writer = new ConfigWriter({
    model,
    random: random.fork('writes'),
    now: options.now,
    events,
    actor,
    origin: events.homeOrigin(actor),
    emit: options.emit,
  });
  return { model, writer, profile, applyDue };
}
