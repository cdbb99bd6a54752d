import { describe, expect, it } from 'vitest';
import { SharedFactorDetector } from '../../../src/detect/pack/shared-factor.js';
import { oktaEvent, oktaUser } from '../../support/okta-events.js';

const sms = (user: string, phone: string) =>
  oktaEvent({
    eventType: 'system.sms.send_phone_verification_message',
    actor: oktaUser(user),
    target: [{ id: phone, type: 'MobilePhone', alternateId: 'unknown', displayName: 'unknown' }],
  });
const deviceAdd = (user: string, device: string) =>
  oktaEvent({
    eventType: 'device.user.add',
    actor: oktaUser(user),
    target: [{ id: 'guo1', type: 'Device', displayName: 'laptop', detailEntry: { oktaDeviceId: device } }],
  });

describe('one phone or device registered by several users', () => {
  it('fires once when a second user registers the same phone, naming both', () => {
    const d = new SharedFactorDetector();
    expect(d.process(sms('ann', '+15550100'), 0)).toEqual([]);
    expect(d.process(sms('ann', '+15550100'), 0)).toEqual([]);
    const hits = d.process(sms('bob', '+15550100'), 0);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.severity).toBe('high');
    expect(hits[0]!.eventIds).toHaveLength(2);
    expect(hits[0]!.description).toContain('ann@example.com and bob@example.com');
    expect(d.process(sms('cid', '+15550100'), 0)).toEqual([]);
  });

  it('does the same for devices, and stays quiet for different phones or devices', () => {
    const d = new SharedFactorDetector();
    expect(d.process(sms('ann', '+15550100'), 0)).toEqual([]);
    expect(d.process(sms('bob', '+15550199'), 0)).toEqual([]);
    expect(d.process(deviceAdd('ann', 'dev-1'), 0)).toEqual([]);
    expect(d.process(deviceAdd('bob', 'dev-2'), 0)).toEqual([]);
    expect(d.process(deviceAdd('cid', 'dev-1'), 0)).toHaveLength(1);
  });
});
