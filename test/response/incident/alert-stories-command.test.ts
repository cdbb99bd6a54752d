import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../src/alerts/alert-view.js';
import { lapsusWorld } from '../report/lapsus-world.js';

interface StoryView {
  id: string;
  title: string;
  severity: string;
  sharedKeys: string[];
  alerts: AlertView[];
}

describe('vigil alerts --group (lapsus-2022)', () => {
  it('the support resets and the impersonation, all by the support tool, are one story; with the incident open, the whole attack is one', async () => {
    const world = await lapsusWorld();
    const flat = JSON.parse((await world.vigil('alerts', '--json')).stdout) as AlertView[];
    const grouped = await world.vigil('alerts', '--group', '--json');
    expect(grouped.code, grouped.stderr).toBe(0);
    const { stories } = JSON.parse(grouped.stdout) as { stories: StoryView[] };
    expect(stories.flatMap((s) => s.alerts.map((a) => a.id)).sort()).toEqual(flat.map((a) => a.id).sort());
    const support = stories.find((s) => s.alerts.some((a) => a.rule.id === 'okta-support-credential-reset'))!;
    expect(support.alerts.filter((a) => a.rule.id === 'okta-support-credential-reset')).toHaveLength(3);
    expect(support.sharedKeys.some((k) => k.startsWith('actor:'))).toBe(true);
    expect(stories.length).toBeLessThan(flat.length);

    const opened = await world.vigil(
      'incident',
      'open',
      '--name',
      'lapsus',
      '--from',
      world.from,
      '--to',
      world.to,
      '--json',
    );
    expect(opened.code, opened.stderr).toBe(0);
    const { id } = JSON.parse(opened.stdout) as { id: string };
    const withIncident = JSON.parse((await world.vigil('alerts', '--group', '--json')).stdout) as {
      stories: StoryView[];
    };
    const attackAlerts = flat.filter((a) => a.events.some((e) => world.attackIds.has(e)));
    const story = withIncident.stories.find((s) => s.sharedKeys.includes(`incident:${id}`))!;
    expect(story.alerts.map((a) => a.id).sort()).toEqual(
      expect.arrayContaining(attackAlerts.map((a) => a.id)),
    );
    expect(story.title).toBe(`${story.alerts.length} alerts in ${id}`);

    const text = await world.vigil('alerts', '--group');
    expect(text.stdout).toContain(`${story.id}  [`);
  });
});
