import { describe, expect, it } from 'vitest';
import type { Detector } from '../../../src/detect/pack/detector.js';
import { ImpossibleTravelDetector } from '../../../src/detect/pack/impossible-travel.js';
import { NewLocationCredentialChangeDetector } from '../../../src/detect/pack/new-location-credential-change.js';
import { SessionReuseDetector } from '../../../src/detect/pack/session-reuse.js';
import { MfaResetChainDetector } from '../../../src/detect/pack/mfa-reset-chain.js';
import { DetectionPipeline } from '../../../src/detect/pipeline/detection-pipeline.js';
import type { OktaLogEvent } from '../../../src/sources/okta/log-event.js';
import {
  ABROAD,
  HOME,
  HOSTILE,
  oktaEvent,
  oktaUser,
  signIn,
  T0 as T,
  userTarget,
  type Origin,
} from '../../support/okta-events.js';

const run = (detector: Detector, events: OktaLogEvent[]) =>
  events.flatMap((e) => detector.process(e, Date.parse(e.published)));
/** Ann signs in at `at` from `from`, in the builders' default session unless told another. */
const annSignsIn = (at: number, from: Origin, session?: string) => signIn('ann', { at, from, session });

describe('session reuse', () => {
  it('fires when one session id appears from a new network and browser', () => {
    const hits = run(new SessionReuseDetector(), [annSignsIn(T, HOME), annSignsIn(T + 60_000, HOSTILE)]);
    expect(hits).toHaveLength(1);
  });
  it('stays quiet for the same session on the same network and browser, or on a new session', () => {
    expect(
      run(new SessionReuseDetector(), [
        annSignsIn(T, HOME),
        annSignsIn(T + 60_000, { ...HOME, ip: '198.51.100.15' }),
      ]),
    ).toHaveLength(0);
    expect(
      run(new SessionReuseDetector(), [annSignsIn(T, HOME), annSignsIn(T + 60_000, HOSTILE, 'idxB')]),
    ).toHaveLength(0);
  });
});

describe('impossible travel', () => {
  it('fires for two sign-ins continents apart within minutes', () => {
    expect(
      run(new ImpossibleTravelDetector(), [annSignsIn(T, HOME), annSignsIn(T + 20 * 60_000, ABROAD)]),
    ).toHaveLength(1);
  });
  it('stays quiet when the time allows the trip', () => {
    expect(
      run(new ImpossibleTravelDetector(), [annSignsIn(T, HOME), annSignsIn(T + 24 * 3_600_000, ABROAD)]),
    ).toHaveLength(0);
  });
});

describe('credential change from a new network', () => {
  const factor = (at: number, from: Origin) =>
    oktaEvent({
      eventType: 'user.mfa.factor.activate',
      displayMessage: 'Activate factor',
      at,
      actor: oktaUser('ann'),
      from,
      target: [userTarget('ann')],
    });
  it('fires for a factor added from a network the user never used', () => {
    expect(
      run(new NewLocationCredentialChangeDetector(), [annSignsIn(T, HOME), factor(T + 60_000, HOSTILE)]),
    ).toHaveLength(1);
  });
  it('stays quiet from a known network, and does not learn from failed attempts', () => {
    expect(
      run(new NewLocationCredentialChangeDetector(), [annSignsIn(T, HOME), factor(T + 60_000, HOME)]),
    ).toHaveLength(0);
    const failed = signIn('ann', { at: T + 1000, from: HOSTILE, result: 'FAILURE' });
    expect(
      run(new NewLocationCredentialChangeDetector(), [
        annSignsIn(T, HOME),
        failed,
        factor(T + 60_000, HOSTILE),
      ]),
    ).toHaveLength(1);
  });
});

describe('MFA reset chain', () => {
  const ev = (eventType: string, at: number, actorIsUser = true) =>
    oktaEvent({
      eventType,
      displayMessage: eventType,
      at,
      actor: actorIsUser ? oktaUser('ann') : oktaUser('admin'),
      from: HOSTILE,
      target: [userTarget('ann')],
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
