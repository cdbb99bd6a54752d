import { describe, expect, it } from 'vitest';
import { PII_TOKEN, PiiTokenizer } from '../../src/privacy/pii-tokenizer.js';
import { appTarget, oktaEvent, userTarget } from '../support/okta-events.js';

const KEY = Buffer.alloc(32, 7);
const tokenizer = new PiiTokenizer(KEY);

/** Every raw email and IPv4 address in a JSON text. */
const rawPii = (text: string) => [
  ...(text.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g) ?? []),
  ...(text.match(/\b(?:\d{1,3}\.){3}\d{1,3}\b/g) ?? []),
];

describe('PiiTokenizer', () => {
  it('gives the same value the same token, and different keys or kinds different tokens', () => {
    const a = tokenizer.token('user', 'Ann@Example.com');
    expect(a).toMatch(PII_TOKEN);
    expect(a.startsWith('user:')).toBe(true);
    expect(tokenizer.token('user', ' ann@example.com ')).toBe(a);
    expect(new PiiTokenizer(Buffer.alloc(32, 8)).token('user', 'ann@example.com')).not.toBe(a);
    expect(tokenizer.token('name', 'ann@example.com')).not.toBe(a.replace('user:', 'name:'));
    expect(tokenizer.token('phone', '+1 (555) 010-9999')).toBe(tokenizer.token('phone', '+15550109999'));
    expect(() => new PiiTokenizer(Buffer.alloc(16))).toThrow(TypeError);
  });

  it('replaces every login, name and IP of an Okta event and keeps geography and app names', () => {
    const event = oktaEvent({
      target: [userTarget('bob'), appTarget('Salesforce')],
      debugData: {
        requestUri: '/api/v1/users/bob@example.com/lifecycle',
        note: 'from 203.0.113.9 and 2001:db8::7',
      },
    });
    const before = JSON.stringify(event);
    const view = tokenizer.tokenizeEvent(event);
    const text = JSON.stringify(view);
    expect(rawPii(before).length).toBeGreaterThan(2);
    expect(rawPii(text)).toEqual([]);
    expect(text).not.toContain('2001:db8::7');
    expect(JSON.stringify(event)).toBe(before); // a view: the input is untouched
    expect(view.actor?.alternateId).toBe(tokenizer.token('user', event.actor!.alternateId!));
    expect(view.actor?.displayName).toBe(tokenizer.token('name', event.actor!.displayName!));
    expect(view.target?.[1]?.displayName).toBe('Salesforce');
    expect(view.client?.geographicalContext).toEqual(event.client?.geographicalContext);
    // The same person is the same token in the request URI as in the target.
    expect(text).toContain(tokenizer.token('user', 'bob@example.com'));
    expect(view.target?.[0]?.alternateId).toBe(tokenizer.token('user', 'bob@example.com'));
  });

  it('reveals only a value present in the record it is asked about', () => {
    const event = oktaEvent({});
    const ip = event.client!.ipAddress!;
    const token = tokenizer.token('ip', ip);
    expect(tokenizer.reveal(event, token)).toBe(ip);
    expect(
      tokenizer.reveal(
        oktaEvent({ debugData: { x: 'nothing here' } }),
        tokenizer.token('ip', '198.51.100.1'),
      ),
    ).toBeUndefined();
    expect(tokenizer.reveal(event, 'not-a-token')).toBeUndefined();
  });

  it('tokenises free text', () => {
    const text = tokenizer.tokenizeText('ann@example.com signed in from 192.0.2.44 at 10:30:00');
    expect(text).toBe(
      `${tokenizer.token('user', 'ann@example.com')} signed in from ${tokenizer.token('ip', '192.0.2.44')} at 10:30:00`,
    );
  });
});
