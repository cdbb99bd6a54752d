import { describe, expect, it } from 'vitest';
import { ALERT_TABLE_COLUMNS, alertTableRow } from '../../src/alerts/alert-table.js';
import { formatTable } from '../../src/cli/text-table.js';
import { alertView } from '../../src/alerts/alert-view.js';
import { buildAlert } from './build-alert.js';

describe('the alert table', () => {
  it('aligns columns under a header, one alert per line', () => {
    const alerts = [
      buildAlert(),
      buildAlert({ id: 'a-2', severity: 'low', status: 'acknowledged', count: 12, title: 'Short' }),
    ];
    const table = formatTable(ALERT_TABLE_COLUMNS, alerts.map(alertTableRow), { width: 200 });
    const lines = table.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+STATUS\s+COUNT\s+LAST SEEN\s+RULE\s+ENTITY$/);
    expect(lines[1]).toContain('a-0123456789ab  high      open');
    expect(lines[2]).toContain('a-2             low       acknowledged  12');
    // Every column starts at the same offset in every row.
    expect(lines[1]?.indexOf('2026-03-01T10:05:00Z')).toBe(lines[0]?.indexOf('LAST SEEN'));
  });

  it('says when more rules fired into a grouped alert', () => {
    const alert = buildAlert();
    const grouped = {
      ...alert,
      reasons: [...alert.reasons, { ...alert.reasons[0]!, ruleId: 'okta-mfa-reset-all' }],
    };
    expect(alertTableRow(grouped)[5]).toBe('Okta support impersonated a user (+1 more rule)');
    expect(alertTableRow(alert)[5]).toBe('Okta support impersonated a user');
  });
});

describe('alertView', () => {
  it('names rule, severity and events as the public JSON contract does', () => {
    const view = alertView(
      buildAlert({
        transitions: [
          { from: 'open', to: 'acknowledged', by: 'carol', atMs: Date.parse('2026-03-01T11:00:00Z') },
        ],
      }),
    );
    expect(view).toMatchObject({
      rule: { id: 'vigil.support.impersonation', title: 'Okta support impersonated a user' },
      severity: 'high',
      events: ['evt-1', 'evt-2'],
      firstSeen: '2026-03-01T10:00:00.000Z',
      transitions: [{ from: 'open', to: 'acknowledged', by: 'carol', at: '2026-03-01T11:00:00.000Z' }],
    });
  });
});
