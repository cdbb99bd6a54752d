import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DetectionPipeline } from '../../src/detect/pipeline/detection-pipeline.js';
import { parseSigmaRules } from '../../src/detect/sigma/index.js';
import { renderTemplate } from '../../src/detect/sigma/alert-template.js';
import { expectCode } from '../support/expect-code.js';
import { HOSTILE, oktaEvent, oktaUser, requestFrom, userTarget } from '../support/okta-events.js';
import { tempDir } from '../support/temp-dir.js';

const rule = (title: string, description = 'd') =>
  `title: ${JSON.stringify(title)}\nname: templated\ndescription: ${JSON.stringify(description)}\nlogsource:\n  product: okta\ndetection:\n  sel:\n    eventType: user.account.privilege.grant\n  condition: sel\n`;

describe('alert titles and descriptions templated with the event (issue 14)', () => {
  it('fills {actor}, {target}, {role}, {ip} and {city} from the triggering event; the entity is the user by login', async () => {
    const dir = tempDir('vigil-template-rules-');
    writeFileSync(
      path.join(dir, 'grant.yml'),
      rule(
        '{role} granted to {target} by {actor}',
        'From {ip} ({city}); {{literal}} braces; {unknown-ish thing}',
      ),
    );
    const pipeline = await DetectionPipeline.create({ extraRuleDirs: [dir] });
    const grant = oktaEvent({
      eventType: 'user.account.privilege.grant',
      actor: oktaUser('mallory'),
      target: [userTarget('bob')],
      from: HOSTILE,
      debugData: { privilegeGranted: 'Super administrator' },
    });
    const hit = pipeline.process(grant).find((d) => d.ruleId === 'templated')!;
    expect(hit.title).toBe('Super administrator granted to bob@example.com by mallory@example.com');
    expect(hit.description).toBe('From 192.0.2.66 (Amsterdam); {literal} braces; {unknown-ish thing}');
    expect(hit.entity).toEqual({ type: 'user', id: '00ubob', display: 'bob@example.com' });
  });

  it('names the address in ThreatInsight alerts: title, description and entity', async () => {
    const pipeline = await DetectionPipeline.create();
    const threat = oktaEvent({
      eventType: 'security.threat.detected',
      actor: {
        id: HOSTILE.ip,
        type: 'IP address',
        alternateId: 'unknown',
        displayName: HOSTILE.ip,
        detailEntry: null,
      },
      ...requestFrom(HOSTILE),
      target: [],
    });
    const hit = pipeline.process(threat).find((d) => d.ruleId === 'okta-threatinsight-detection')!;
    expect(hit.title).toBe('ThreatInsight flagged a request from 192.0.2.66');
    expect(hit.description).toContain('192.0.2.66 (Amsterdam)');
    expect(hit.entity).toEqual({ type: 'ip', id: '192.0.2.66' });
    expect(hit.dedupKey).toBe('okta-threatinsight-detection:192.0.2.66');
  });

  it('a value from the event is one clean line, and a missing one reads unknown', () => {
    expect(renderTemplate('reset for {target} from {ip}', { target: 'eve\u001b[2J\nnext' })).toBe(
      'reset for eve [2J next from unknown',
    );
  });

  it('refuses an unknown placeholder when the rule loads, naming the rule, the file and the placeholder', () => {
    const error = expectCode(
      () => parseSigmaRules(rule('Granted to {user}'), 'rules/custom/grant.yml'),
      'SIGMA_INVALID_RULE',
    );
    expect(error.message).toMatch(
      /^rules\/custom\/grant\.yml:1: rule "templated": title names an unknown placeholder \{user\}/,
    );
    expect(error.message).toContain('{actor}, {target}, {role}, {ip}, {city}');
  });
});
