import { describe, expect, it } from 'vitest';
import { PushSourceMismatchDetector } from '../../../src/detect/pack/push-source-mismatch.js';
import { RapidAppAccessDetector } from '../../../src/detect/pack/rapid-app-access.js';
import { appTarget, HOME, HOSTILE, oktaEvent } from '../../support/okta-events.js';

// Both halves of the push exchange belong to one Okta session (the builders' default).
const push = (ip: string, behaviors: string) =>
  oktaEvent({
    eventType: 'system.push.send_factor_verify_push',
    from: { ...HOSTILE, ip },
    debugData: { behaviors },
  });
const approve = (ip: string) =>
  oktaEvent({
    eventType: 'user.authentication.auth_via_mfa',
    from: { ...HOME, ip },
    debugData: { factor: 'OKTA_VERIFY_PUSH' },
  });

describe('push requested from a new device, approved elsewhere', () => {
  it('fires when the approval comes from another address within the window', () => {
    const d = new PushSourceMismatchDetector();
    expect(d.process(push('185.1.1.1', '{New Device=POSITIVE, New IP=POSITIVE}'), 0)).toEqual([]);
    const hits = d.process(approve('73.2.2.2'), 60_000);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.eventIds).toHaveLength(2);
  });

  it('stays quiet for a familiar device, the same address, or a late approval', () => {
    const familiar = new PushSourceMismatchDetector();
    familiar.process(push('10.0.0.1', '{New Device=NEGATIVE, New IP=NEGATIVE}'), 0);
    expect(familiar.process(approve('73.2.2.2'), 60_000)).toEqual([]);
    const same = new PushSourceMismatchDetector();
    same.process(push('73.2.2.2', '{New Device=POSITIVE}'), 0);
    expect(same.process(approve('73.2.2.2'), 60_000)).toEqual([]);
    const late = new PushSourceMismatchDetector();
    late.process(push('185.1.1.1', '{New IP=POSITIVE}'), 0);
    expect(late.process(approve('73.2.2.2'), 11 * 60_000)).toEqual([]);
  });
});

describe('many applications within a minute', () => {
  const sso = (app: string) =>
    oktaEvent({
      eventType: 'user.authentication.sso',
      debugData: { initiationType: 'IDP_INITIATED' },
      target: [appTarget(app)],
    });

  it('fires at the tenth distinct app within a minute, once', () => {
    const d = new RapidAppAccessDetector();
    const hits = Array.from({ length: 12 }, (_, i) => d.process(sso(`app${i}`), i * 3_000)).flat();
    expect(hits).toHaveLength(1);
    expect(hits[0]!.eventIds).toHaveLength(10);
  });

  it('stays quiet when the same apps repeat or the opens spread over minutes', () => {
    const repeat = new RapidAppAccessDetector();
    expect(
      Array.from({ length: 30 }, (_, i) => repeat.process(sso(`app${i % 5}`), i * 1_000)).flat(),
    ).toEqual([]);
    const slow = new RapidAppAccessDetector();
    expect(Array.from({ length: 30 }, (_, i) => slow.process(sso(`app${i}`), i * 10_000)).flat()).toEqual([]);
  });
});
