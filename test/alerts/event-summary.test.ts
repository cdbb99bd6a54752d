import { describe, expect, it } from 'vitest';
import { summariseEvent } from '../../src/alerts/event-summary.js';
import { HOSTILE, oktaEvent, oktaUser, userTarget } from '../support/okta-events.js';

describe('summariseEvent (vigil alerts show)', () => {
  it('names who did what to whom, from where, with the outcome', () => {
    const event = oktaEvent({
      eventType: 'user.account.privilege.grant',
      actor: oktaUser('mallory'),
      target: [userTarget('bob')],
      from: HOSTILE,
    });
    expect(summariseEvent(event.uuid, JSON.stringify(event))).toEqual({
      id: event.uuid,
      published: event.published,
      eventType: 'user.account.privilege.grant',
      actor: 'mallory@example.com',
      targets: ['bob@example.com'],
      ip: '192.0.2.66',
      place: 'Amsterdam, Netherlands',
      outcome: 'SUCCESS',
    });
  });

  it('leaves out what a hostile or odd event does not say properly, and never throws', () => {
    const odd = JSON.stringify({
      eventType: 7,
      actor: { alternateId: 'unknown', displayName: 'Okta System', id: 'x' },
      target: 'not a list',
      client: { ipAddress: 'null', geographicalContext: 'Paris' },
      outcome: null,
    });
    expect(summariseEvent('e1', odd)).toEqual({
      id: 'e1',
      published: '?',
      eventType: '?',
      actor: 'Okta System',
      targets: [],
    });
    expect(summariseEvent('e2', '{not json')).toMatchObject({ id: 'e2', eventType: '?', actor: '?' });
  });
});
