import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { AlertView } from '../../src/alerts/alert-view.js';
import { ManualClock } from '../../src/core/clock.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { tempDir } from '../support/temp-dir.js';
import { runVigil } from './cli-harness.js';

const T = Date.parse('2026-03-10T12:00:00.000Z');
const HOUR = 3_600_000;

/** The lapsus-2022 drill (src/sim/scenarios/lapsus-2022.ts) collected by `vigil collect` into a fresh store. */
async function lapsusStore() {
  const clock = new ManualClock(T);
  const sim = await startSimulator({
    seed: 11,
    // Enough people that the drill's three victims are three different users.
    users: 20,
    days: 1,
    liveTraffic: false,
    clock,
    scenarios: [{ name: 'lapsus-2022', at: T - 6 * HOUR }],
  });
  const dir = tempDir('vigil-story-');
  writeFileSync(
    path.join(dir, 'vigil.yaml'),
    stringify({ sources: [{ name: 'okta', type: 'okta', url: sim.baseUrl, tokenEnv: 'OKTA_TOKEN' }] }),
    { mode: 0o600 },
  );
  const vigil = (...args: string[]) =>
    runVigil(['--data', dir, ...args], { clock, env: { OKTA_TOKEN: sim.token } });
  const collected = await vigil('collect', '--once', '--since', new Date(T - 2 * 24 * HOUR).toISOString());
  await sim.close();
  expect(collected.code, collected.stderr).toBe(0);
  return vigil;
}

describe('the same story fires once (lapsus-2022)', () => {
  it('each of the three support resets is one alert with both reasons, about the user by login, titled with it', async () => {
    const vigil = await lapsusStore();
    const alerts = JSON.parse((await vigil('alerts', '--json')).stdout) as AlertView[];
    const resets = alerts.filter((a) => a.reasons.some((r) => r.rule.id === 'okta-support-credential-reset'));

    // Before grouping: 3 users x (password reset + factor reset firing two rules) = 9 detections.
    expect(resets).toHaveLength(3);
    expect(new Set(resets.map((a) => a.entity.id)).size).toBe(3);
    for (const alert of resets) {
      expect(alert.reasons.map((r) => r.rule.id).sort()).toEqual([
        'okta-mfa-reset-all',
        'okta-support-credential-reset',
      ]);
      expect(alert.entity.type).toBe('user');
      expect(alert.entity.display).toMatch(/^[^@\s]+@[^@\s]+$/);
      expect(alert.rule.title).toBe(`Okta support reset ${alert.entity.display}'s password or factors`);
      expect(alert.reasons.find((r) => r.rule.id === 'okta-mfa-reset-all')!.rule.title).toBe(
        `All MFA factors reset for ${alert.entity.display}`,
      );
      expect(alert.severity).toBe('high');
      expect(alert.count).toBe(3);
      expect(alert.events).toHaveLength(2);
    }
  });

  it('vigil alerts show ID prints the alert, both reasons and its triggering events summarised from custody', async () => {
    const vigil = await lapsusStore();
    const alerts = JSON.parse((await vigil('alerts', '--json')).stdout) as AlertView[];
    const alert = alerts.find((a) => a.reasons.length === 2)!;
    const login = alert.entity.display!;

    const shown = await vigil('alerts', 'show', alert.id);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`${alert.id}  [HIGH] Okta support reset ${login}'s password or factors`);
    expect(shown.stdout).toContain(`entity: user ${login}`);
    expect(shown.stdout).toContain('okta-support-credential-reset [high]');
    expect(shown.stdout).toContain('okta-mfa-reset-all [medium]');
    expect(shown.stdout).toContain('triggering events (2):');
    expect(shown.stdout).toMatch(
      new RegExp(`user\\.account\\.reset_password  by system@okta\\.com  on ${login}`),
    );
    expect(shown.stdout).toMatch(
      new RegExp(`user\\.mfa\\.factor\\.reset_all  by system@okta\\.com  on ${login}`),
    );

    const json = JSON.parse((await vigil('alerts', 'show', alert.id, '--json')).stdout) as {
      eventSummaries: { id: string; eventType: string; actor: string; targets: string[] }[];
    };
    expect(json.eventSummaries.map((e) => e.id)).toEqual(alert.events);
    expect(json.eventSummaries.every((e) => e.actor === 'system@okta.com' && e.targets[0] === login)).toBe(
      true,
    );

    const missing = await vigil('alerts', 'show', 'a-000000000000');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no alert with id a-000000000000');
  });
});
