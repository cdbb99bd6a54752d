import { describe, expect, it } from 'vitest';
import { PolicyDowngradeDetector } from '../../../src/detect/pack/policy-downgrade.js';
import type { OktaLogEvent, OktaTarget } from '../../../src/sources/okta/log-event.js';
import { oktaEvent, oktaUser } from '../../support/okta-events.js';

const actions = (factorMode: string, phishingResistant = false) =>
  JSON.stringify({
    appSignOn: {
      access: 'ALLOW',
      verificationMethod: {
        factorMode,
        type: 'ASSURANCE',
        constraints: phishingResistant ? [{ possession: { phishingResistant: 'REQUIRED' } }] : [],
      },
    },
  });
// `from` and `to` are whatever the test feeds, malformed ones included: provider input, not our type.
const update = (from: unknown, to: unknown, eventType = 'policy.rule.update') =>
  oktaEvent({
    eventType,
    actor: oktaUser('admin'),
    target: [
      { id: 'pol1', type: 'PolicyEntity', displayName: 'Default' },
      {
        id: 'rul1',
        type: 'PolicyRule',
        displayName: 'Admin MFA',
        changeDetails: { from, to } as OktaTarget['changeDetails'],
      },
    ],
  });
const run = (event: OktaLogEvent) => new PolicyDowngradeDetector().process(event, 0);

describe('authentication policy downgrade', () => {
  it('fires on 2FA → 1FA, in the JSON-string form Okta writes and in object form', () => {
    const hits = run(
      update({ policyRuleActionJson: actions('2FA') }, { policyRuleActionJson: actions('1FA') }),
    );
    expect(hits).toHaveLength(1);
    expect(hits[0]!.entity).toMatchObject({ type: 'policy-rule', id: 'rul1' });
    expect(hits[0]!.description).toContain('from two factors to one');
    expect(
      run(
        update(
          { policyRuleActionJson: JSON.parse(actions('2FA')) },
          { policyRuleActionJson: JSON.parse(actions('1FA')) },
        ),
      ),
    ).toHaveLength(1);
  });

  it('fires when a phishing-resistant requirement is dropped', () => {
    const hits = run(
      update({ policyRuleActionJson: actions('2FA', true) }, { policyRuleActionJson: actions('2FA', false) }),
    );
    expect(hits[0]?.description).toContain('phishing-resistant');
  });

  it('stays quiet on an upgrade, an unrelated change, and other event types', () => {
    expect(
      run(update({ policyRuleActionJson: actions('1FA') }, { policyRuleActionJson: actions('2FA') })),
    ).toEqual([]);
    expect(
      run(update({ policyRuleActionJson: actions('2FA') }, { policyRuleActionJson: actions('2FA') })),
    ).toEqual([]);
    expect(
      run(
        update(
          { policyRuleActionJson: actions('2FA') },
          { policyRuleActionJson: actions('1FA') },
          'policy.rule.add',
        ),
      ),
    ).toEqual([]);
  });

  it('survives malformed changeDetails: bad JSON, wrong types, missing sides', () => {
    for (const [from, to] of [
      [{ policyRuleActionJson: '{not json' }, { policyRuleActionJson: actions('1FA') }],
      ['2FA', '1FA'],
      [null, { policyRuleActionJson: actions('1FA') }],
      [{ policyRuleActionJson: 42 }, { policyRuleActionJson: [] }],
      [
        { policyRuleActionJson: JSON.stringify({ appSignOn: { verificationMethod: { constraints: 'x' } } }) },
        {},
      ],
    ])
      expect(run(update(from, to))).toEqual([]);
  });
});
