import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/core/seeded-random.js';
import { ImpossibleTravelDetector } from '../../../src/detect/pack/impossible-travel.js';
import { NewLocationCredentialChangeDetector } from '../../../src/detect/pack/new-location-credential-change.js';
import { SessionReuseDetector } from '../../../src/detect/pack/session-reuse.js';
import { MfaResetChainDetector } from '../../../src/detect/pack/mfa-reset-chain.js';
import { DetectionPipeline } from '../../../src/detect/pipeline/detection-pipeline.js';
import { EventFactory, type SimOrigin } from '../../../src/sim/events/event-factory.js';
import { buildSimOrg } from '../../../src/sim/org/sim-org.js';
import { HOSTILE_NETWORKS, PLACES } from '../../../src/sim/org/places.js';

const random = createRandom('detectors');
const org = buildSimOrg(random, 5);
const f = new EventFactory(org, random);
const user = org.users[1]!;
const T = Date.parse('2026-03-10T09:00:00Z');
const home: SimOrigin = { place: user.home, ip: user.ips[0]!, device: user.devices[0]! };
const far = PLACES.find((p) => Math.abs(p.lon - user.home.lon) > 90)!;
const away: SimOrigin = { place: far, ip: `${far.ipPrefix}.1.1`, device: user.devices[0]! };
const hostile: SimOrigin = {
  place: HOSTILE_NETWORKS[1]!,
  ip: '185.156.1.1',
  device: { ...user.devices[0]!, rawUserAgent: 'curl/8', browser: 'UNKNOWN' },
};
const signIn = (at: number, origin: SimOrigin, sessionId = 'idxA') =>
  f.build({
    eventType: 'user.session.start',
    displayMessage: 'User login to Okta',
    published: at,
    actor: f.userActor(user),
    origin,
    sessionId,
  });
const run = (
  detector: { process: (e: ReturnType<typeof signIn>, t: number) => unknown[] },
  events: ReturnType<typeof signIn>[],
) => events.flatMap((e) => detector.process(e, Date.parse(e.published)));

describe('session reuse', () => {
  it('fires when one session id appears from a new network and browser', () => {
    const hits = run(new SessionReuseDetector(), [signIn(T, home), signIn(T + 60_000, hostile)]);
    expect(hits).toHaveLength(1);
  });
  it('stays quiet for the same session on the same network and browser, or on a new session', () => {
    expect(
      run(new SessionReuseDetector(), [signIn(T, home), signIn(T + 60_000, { ...home, ip: user.ips[1]! })]),
    ).toHaveLength(0);
    expect(
      run(new SessionReuseDetector(), [signIn(T, home), signIn(T + 60_000, hostile, 'idxB')]),
    ).toHaveLength(0);
  });
});

describe('impossible travel', () => {
  it('fires for two sign-ins continents apart within minutes', () => {
    expect(
      run(new ImpossibleTravelDetector(), [signIn(T, home), signIn(T + 20 * 60_000, away)]),
    ).toHaveLength(1);
  });
  it('stays quiet when the time allows the trip', () => {
    expect(
      run(new ImpossibleTravelDetector(), [signIn(T, home), signIn(T + 24 * 3_600_000, away)]),
    ).toHaveLength(0);
  });
});

describe('credential change from a new network', () => {
  const factor = (at: number, origin: SimOrigin) =>
    f.build({
      eventType: 'user.mfa.factor.activate',
      displayMessage: 'Activate factor',
      published: at,
      actor: f.userActor(user),
      origin,
      target: [f.userTarget(user)],
    });
  it('fires for a factor added from a network the user never used', () => {
    expect(
      run(new NewLocationCredentialChangeDetector(), [signIn(T, home), factor(T + 60_000, hostile)]),
    ).toHaveLength(1);
  });
  it('stays quiet from a known network, and does not learn from failed attempts', () => {
    expect(
      run(new NewLocationCredentialChangeDetector(), [signIn(T, home), factor(T + 60_000, home)]),
    ).toHaveLength(0);
    const failed = f.build({
      eventType: 'user.session.start',
      displayMessage: 'x',
      published: T + 1000,
      actor: f.userActor(user),
      origin: hostile,
      outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
    });
    expect(
      run(new NewLocationCredentialChangeDetector(), [signIn(T, home), failed, factor(T + 60_000, hostile)]),
    ).toHaveLength(1);
  });
});

describe('MFA reset chain', () => {
  const ev = (eventType: string, at: number, actorIsUser = true) =>
    f.build({
      eventType,
      displayMessage: eventType,
      published: at,
      actor: actorIsUser ? f.userActor(user) : f.userActor(org.users[0]!),
      origin: hostile,
      target: [f.userTarget(user)],
    });
  it('fires on reset → new factor → sensitive action by the same user within a day', () => {
    const events = [
      ev('user.mfa.factor.reset_all', T, false),
      ev('user.mfa.factor.activate', T + 60_000),
      ev('system.api_token.create', T + 120_000),
    ];
    expect(run(new MfaResetChainDetector(), events)).toHaveLength(1);
  });
  it('stays quiet without the enrolment, or when the action comes days later', () => {
    expect(
      run(new MfaResetChainDetector(), [
        ev('user.mfa.factor.reset_all', T, false),
        ev('system.api_token.create', T + 120_000),
      ]),
    ).toHaveLength(0);
    const late = [
      ev('user.mfa.factor.reset_all', T, false),
      ev('user.mfa.factor.activate', T + 60_000),
      ev('system.api_token.create', T + 3 * 86_400_000),
    ];
    expect(run(new MfaResetChainDetector(), late)).toHaveLength(0);
  });
});

describe('the pipeline on misshapen events', () => {
  it('runs Sigma on them, skips the stateful detectors, and never throws', async () => {
    const pipeline = await DetectionPipeline.create();
    const base = { uuid: 'x', published: '2026-03-10T09:00:00.000Z', eventType: 'system.api_token.create' };
    for (const event of [
      base,
      { ...base, actor: 'root' },
      { ...base, actor: { id: 1, type: 'User' } },
      { ...base, actor: { id: 'a', type: 'User' }, target: 'everyone' },
      { ...base, actor: { id: 'a', type: 'User' }, target: [null] },
      { ...base, actor: { id: 'a', type: 'User' }, client: ['x'] },
    ]) {
      const hits = pipeline.process(event as never);
      expect(hits.map((d) => d.ruleId)).toEqual(['okta-api-token-created']);
      expect(hits[0]!.entity.type).toBe('org');
    }
  });
});
