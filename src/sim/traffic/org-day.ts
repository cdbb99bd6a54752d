import type { Random } from '../../core/seeded-random.js';
import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import { EventFactory } from '../events/event-factory.js';
import { ipIn, oktaId } from '../org/okta-ids.js';
import { HOSTILE_NETWORKS } from '../org/places.js';
import type { SimOrg } from '../org/sim-org.js';
import { userDay } from './user-day.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * Every background event of one UTC day, deterministic in (seed, day): each person's day, the
 * admins' routine work, nightly system jobs and ThreatInsight hits from hostile networks.
 */
export function orgDay(org: SimOrg, seedRandom: Random, dayStartUtc: number): OktaLogEvent[] {
  const dayIndex = Math.floor(dayStartUtc / DAY);
  const random = seedRandom.fork(`day:${dayIndex}`);
  const factory = new EventFactory(org, random);
  const events: OktaLogEvent[] = [];
  for (const user of org.users) events.push(...userDay(factory, user, dayStartUtc, random));

  // Admin routine: add people to groups and apps during the admin's working hours.
  for (const admin of org.admins) {
    const n = random.int(0, 3);
    for (let i = 0; i < n; i++) {
      const t = dayStartUtc + (10 - admin.home.utcOffset) * HOUR + random.int(0, 6 * HOUR);
      const subject = random.pick(org.users);
      const group = random.pick(org.groups);
      events.push(
        factory.build({
          eventType: 'group.user_membership.add',
          displayMessage: 'Add user to group membership',
          legacyEventType: 'core.user_group_member.user_add',
          published: t,
          actor: factory.userActor(admin),
          origin: factory.homeOrigin(admin, random),
          target: [
            factory.userTarget(subject),
            {
              id: group.id,
              type: 'UserGroup',
              alternateId: 'unknown',
              displayName: group.name,
              detailEntry: null,
            },
          ],
        }),
      );
    }
  }

  // Nightly directory import job (SystemPrincipal, JOB transaction, client all null).
  const jobs = random.int(1, 3);
  for (let i = 0; i < jobs; i++) {
    const app = random.pick(org.apps);
    const subject = random.pick(org.users);
    events.push(
      factory.build({
        eventType: 'app.user_management',
        displayMessage: 'Successfully imported new member to an app group',
        legacyEventType: 'app.user_management.app_group_member_import.insert_success',
        published: dayStartUtc + 2 * HOUR + random.int(0, HOUR),
        actor: factory.systemActor(),
        target: [
          {
            id: oktaId(random, '0oe'),
            type: 'AppUser',
            alternateId: subject.login,
            displayName: subject.login,
            detailEntry: null,
          },
          factory.userTarget(subject),
          {
            id: app.id,
            type: 'AppInstance',
            alternateId: app.label,
            displayName: app.label,
            detailEntry: null,
          },
        ],
      }),
    );
  }

  // ThreatInsight: requests from IPs Okta flags as malicious (actor is the IP, okta-api.md §2.1).
  const threats = random.int(0, 2);
  for (let i = 0; i < threats; i++) {
    const place = random.pick(HOSTILE_NETWORKS);
    const ip = ipIn(random, place.ipPrefix);
    events.push(
      factory.build({
        eventType: 'security.threat.detected',
        displayMessage: 'Request from suspicious actor',
        severity: 'WARN',
        published: dayStartUtc + random.int(0, DAY - 1),
        actor: { id: ip, type: 'IP address', alternateId: 'unknown', displayName: ip, detailEntry: null },
        origin: { place, ip, device: random.pick(org.users).devices[0]! },
        outcome: { result: 'ALLOW', reason: 'Password Spray' },
        debugData: { threatDetections: '{"Password Spray":"MEDIUM"}', threatSuspected: 'true' },
      }),
    );
  }
  return events;
}
