import type { Command } from 'commander';
import { groupAlerts, type AlertStory } from '../../alerts/alert-grouping.js';
import { alertStoryKeys } from '../../alerts/alert-story-keys.js';
import type { AlertFilter } from '../../alerts/alert-store.js';
import { alertView } from '../../alerts/alert-view.js';
import { incidentStore } from '../../response/incident/incident-store.js';
import { safeText } from '../safe-text.js';
import { withCommandRuntime, type CliContext } from '../cli-context.js';

/** The public JSON of a story (`vigil alerts --group --json`): its alerts in the `vigil alerts --json` shape. */
export const storyView = (s: AlertStory) => ({
  id: s.id,
  title: s.title,
  severity: s.severity,
  firstSeen: new Date(s.firstSeenMs).toISOString(),
  lastSeen: new Date(s.lastSeenMs).toISOString(),
  sharedKeys: s.sharedKeys,
  alerts: s.alerts.map(alertView),
});

/**
 * `vigil alerts --group`: alerts told as stories (alerts/alert-grouping.ts) — those sharing an
 * actor, a session or a support case within an hour, or inside an open incident's window, are one.
 */
export async function printAlertStories(
  command: Command,
  ctx: CliContext,
  filter: AlertFilter,
  json: boolean,
): Promise<void> {
  const stories = await withCommandRuntime(command, ctx, { access: 'read' }, async (runtime) => {
    const alerts = await runtime.alertStore().list(filter);
    // A store from before incidents existed has no incident table: a reader does not migrate it.
    const incidents = await incidentStore(runtime)
      .list()
      .catch(() => []);
    return groupAlerts(alerts, {
      keysOf: await alertStoryKeys(runtime.store.db, alerts),
      incidents: incidents
        .filter((i) => i.status === 'open')
        .map((i) => ({ id: i.id, source: i.source, fromMs: Date.parse(i.from), toMs: Date.parse(i.to) })),
    });
  });
  if (json) {
    ctx.stdout.write(`${JSON.stringify({ stories: stories.map(storyView) }, null, 2)}\n`);
    return;
  }
  if (stories.length === 0) {
    ctx.stdout.write('no alerts\n');
    return;
  }
  const lines: string[] = [];
  for (const s of stories) {
    lines.push(
      `${s.id}  [${s.severity.toUpperCase()}] ${safeText(s.title)}  (${s.alerts.length} alert${s.alerts.length === 1 ? '' : 's'}, ${new Date(s.firstSeenMs).toISOString()} – ${new Date(s.lastSeenMs).toISOString()})`,
    );
    if (s.alerts.length > 1)
      for (const a of s.alerts)
        lines.push(`  ${a.id}  ${a.severity.padEnd(8)} ${safeText(a.title)}  [${a.status}]`);
  }
  ctx.stdout.write(lines.join('\n') + '\n');
}
