import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/seeded-random.js';
import { loadConfig, vigilConfigSchema } from '../../src/config/vigil-config.js';
import { openAlertDelivery } from '../../src/runtime/alert-delivery.js';
import { expectCode } from '../support/expect-code.js';
import { tempDir } from '../support/temp-dir.js';
import { openAlertDb } from './alert-db.js';
import { T0, buildDetection } from './build-detection.js';

/** The `alerts:` section as vigil.yaml's schema parses it (defaults filled in). */
const alertsSection = (alerts: unknown) => vigilConfigSchema.parse({ alerts }).alerts;

describe('openAlertDelivery', () => {
  it('wires the configured window and sinks: a high alert reaches a real UDP syslog receiver once', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const datagrams: string[] = [];
    const first = new Promise<void>((resolve) =>
      socket.on('message', (m) => {
        datagrams.push(m.toString('utf8'));
        resolve();
      }),
    );
    const { intake, dispatcher } = openAlertDelivery(
      alertsSection({
        dedupWindowMinutes: 30,
        sinks: [
          {
            type: 'syslog',
            protocol: 'udp',
            host: '127.0.0.1',
            port: socket.address().port,
            minSeverity: 'high',
          },
        ],
      }),
      await openAlertDb(),
      { env: {}, baseDir: '.', clock: new ManualClock(T0), random: createRandom(1) },
    );
    const opened = await intake.ingest(buildDetection({ severity: 'high' }));
    const folded = await intake.ingest(buildDetection({ severity: 'high', timeMs: T0 + 20 * 60_000 }));
    const quiet = await intake.ingest(buildDetection({ severity: 'low', dedupKey: 'other' }));
    await dispatcher.deliverDue();
    await first;
    socket.close();
    expect(opened.queued).toEqual(['syslog-udp']);
    expect(folded).toMatchObject({ isNew: false, alert: { count: 2 } });
    expect(quiet.queued).toEqual([]);
    expect(dispatcher.totals).toEqual({ delivered: 1, failed: 0, expired: 0 });
    expect(datagrams).toHaveLength(1);
    expect(datagrams[0]).toContain(`alertId="${opened.alert.id}"`);
  });

  it('refuses an invalid sink entry when vigil.yaml is read, naming the entry', () => {
    const dataDir = tempDir('vigil-alert-config-');
    writeFileSync(
      path.join(dataDir, 'vigil.yaml'),
      'alerts:\n  sinks:\n    - type: webhook\n      name: hook\n      url: https://x.example\n',
    );
    const error = expectCode(() => loadConfig(dataDir), 'CONFIG_INVALID');
    expect(error.message).toContain('alerts.sinks.0 (webhook "hook")');
  });

  it('refuses a sink whose secret is unavailable at start-up, naming the entry', async () => {
    const runtime = { env: {}, baseDir: '.', clock: new ManualClock(T0), random: createRandom(1) };
    const db = await openAlertDb();
    const config = alertsSection({
      sinks: [
        { type: 'syslog', protocol: 'udp', host: '127.0.0.1', port: 514 },
        { type: 'webhook', name: 'soc', url: 'https://x.example', secret: { env: 'SOC_SECRET' } },
      ],
    });
    const error = expectCode(() => openAlertDelivery(config, db, runtime), 'SINK_SECRET_UNAVAILABLE');
    expect(error.message).toContain('alerts.sinks.1 (webhook "soc")');
    expect(error.details['sink']).toBe(1);
  });

  it('refuses two sinks with one name: the outbox keys deliveries by sink name', async () => {
    const runtime = { env: { S: 'x' }, baseDir: '.', clock: new ManualClock(T0), random: createRandom(1) };
    const config = alertsSection({
      sinks: [
        { type: 'webhook', url: 'https://a.example', secret: { env: 'S' } },
        { type: 'webhook', url: 'https://b.example', secret: { env: 'S' } },
      ],
    });
    const db = await openAlertDb();
    const error = expectCode(() => openAlertDelivery(config, db, runtime), 'ALERT_SINK_NAME_TAKEN');
    expect(error.message).toMatch(
      /alerts\.sinks\.1 \(webhook\): another sink \(alerts\.sinks\.0\) is also called "webhook"/,
    );
    expect(error.category).toBe('input');
  });
});
