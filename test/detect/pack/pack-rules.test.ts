import { beforeAll, describe, expect, it } from 'vitest';
import { DetectionPipeline } from '../../../src/detect/pipeline/detection-pipeline.js';
import { oktaEvent, type EventSpec } from '../../support/okta-events.js';

let pipeline: DetectionPipeline;
beforeAll(async () => {
  pipeline = await DetectionPipeline.create();
});
const fires = (spec: EventSpec) => pipeline.process(oktaEvent(spec)).map((d) => d.ruleId);

describe('pack rules with more than an event type', () => {
  it('app password revealed: another user’s, not one’s own', () => {
    const show = { eventType: 'application.user_membership.show_password' };
    expect(
      fires({ ...show, target: [{ id: 't', type: 'AppUser', alternateId: 'bob@example.com' }] }),
    ).toContain('okta-app-password-revealed');
    expect(
      fires({
        ...show,
        target: [
          { id: 'a', type: 'AppInstance', alternateId: 'Wiki' },
          { id: 't', type: 'User', alternateId: 'ann@example.com' },
        ],
      }),
    ).not.toContain('okta-app-password-revealed');
  });

  it('admin console from a new device and IP, in each form Okta writes behaviours', () => {
    const base = {
      eventType: 'policy.evaluate_sign_on',
      target: [{ id: 'c', type: 'AppInstance', displayName: 'Okta Admin Console' }],
    };
    const both = { 'New Device': 'POSITIVE', 'New IP': 'POSITIVE' };
    for (const debugData of [
      { behaviors: ['New Device=POSITIVE', 'New IP=POSITIVE', 'Velocity=NEGATIVE'] },
      { logOnlySecurityData: { behaviors: both } },
      { logOnlySecurityData: JSON.stringify({ behaviors: both }) },
    ])
      expect(fires({ ...base, debugContext: { debugData } })).toContain(
        'okta-admin-console-new-device-and-ip',
      );
    expect(
      fires({
        ...base,
        debugContext: { debugData: { behaviors: ['New Device=POSITIVE', 'New IP=NEGATIVE'] } },
      }),
    ).not.toContain('okta-admin-console-new-device-and-ip');
  });

  it('support credential reset: no client at all, or the support tool’s missing agent and place', () => {
    const reset = {
      eventType: 'user.account.reset_password',
      actor: { id: 's', type: 'SystemPrincipal', alternateId: 'system@okta.com' },
    };
    expect(fires({ ...reset, client: { ipAddress: null } })).toContain('okta-support-credential-reset');
    expect(
      fires({ ...reset, client: { ipAddress: '1.1.1.1', userAgent: {} }, transaction: { id: 'unknown' } }),
    ).toContain('okta-support-credential-reset');
    expect(
      fires({
        ...reset,
        client: { ipAddress: '1.1.1.1', userAgent: { rawUserAgent: 'Mozilla/5.0' } },
        transaction: { id: 'unknown' },
      }),
    ).not.toContain('okta-support-credential-reset');
  });

  it('rate limits: violations only, not warnings', () => {
    expect(fires({ eventType: 'system.operation.rate_limit.violation' })).toContain(
      'okta-rate-limit-violation',
    );
    expect(fires({ eventType: 'core.concurrency.org.limit.violation' })).toContain(
      'okta-rate-limit-violation',
    );
    expect(fires({ eventType: 'system.org.rate_limit.warning' })).not.toContain('okta-rate-limit-violation');
  });

  it('FastPass for an unsigned or unknown program, not for a signed browser', () => {
    const fastpass = (authenticatorContext: Record<string, unknown>) =>
      fires({
        eventType: 'user.authentication.auth_via_mfa',
        debugContext: { debugData: { factor: 'SIGNED_NONCE' } },
        // The rule reads authenticatorContext; the event schema does not model it (yet).
        authenticationContext: {
          authenticatorContext: { bindingMethod: 'LOOPBACK', ...authenticatorContext },
        } as EventSpec['authenticationContext'],
      });
    expect(fastpass({ validationStatus: 'VALID', binaryIdentifier: 'Google Chrome' })).not.toContain(
      'okta-fastpass-unsigned-binary',
    );
    expect(fastpass({ validationStatus: 'NO_SIGNATURE', binaryIdentifier: 'Google Chrome' })).toContain(
      'okta-fastpass-unsigned-binary',
    );
    expect(fastpass({ validationStatus: 'VALID', binaryIdentifier: 'relay.exe' })).toContain(
      'okta-fastpass-unsigned-binary',
    );
  });

  it('ITP risk: hijacked session, high risk, named detections; quiet on low risk', () => {
    const risk = (text: string) =>
      fires({ eventType: 'user.risk.detect', debugContext: { debugData: { risk: text } } });
    expect(
      risk(
        '{level=MEDIUM, detectionName=Session Influenced User Risk, reasons=Associated sessionId is suspected to be hijacked}',
      ),
    ).toContain('okta-itp-session-hijack');
    expect(risk('{previousLevel=LOW, level=HIGH, detectionName=Entity Critical Event}')).toContain(
      'okta-itp-user-risk-high',
    );
    expect(risk('{level=MEDIUM, detectionName=Brute Force Attack, reasons=MFA brute force}')).toContain(
      'okta-itp-user-risk-high',
    );
    expect(risk('{level=LOW, detectionName=Entity Critical Event}')).toEqual([]);
  });
});
