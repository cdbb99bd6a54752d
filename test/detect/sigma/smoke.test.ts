import { describe, expect, it } from 'vitest';
import { SigmaEngine, parseSigmaRules } from '../../../src/detect/sigma/index.js';

describe('smoke', () => {
  it('matches', () => {
    const rules = parseSigmaRules(`title: t
id: 9058ca8b-f397-4fd1-a9fa-2b7aad4d6309
logsource: {product: okta}
detection:
  sel:
    eventtype: user.session.start
    securityContext.isProxy: 'true'
  condition: sel
`, 'x.yml');
    const e = new SigmaEngine(rules);
    expect(e.evaluate({ eventType: 'user.session.start', securityContext: { isProxy: true } }, { timeMs: 1, id: 'a' })).toHaveLength(1);
  });
});
