import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/seeded-random.js';
import { createAlertIntake } from '../../src/alerts/create-alert-intake.js';
import { openAlertDb } from './alert-db.js';
import { T0, buildDetection } from './build-detection.js';

describe('createAlertIntake', () => {
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
    const { intake } = createAlertIntake(
      {
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
      },
      await openAlertDb(),
      { env: {}, baseDir: '.', clock: new ManualClock(T0), random: createRandom(1) },
    );
    const opened = await intake.ingest(buildDetection({ severity: 'high' }));
    const folded = await intake.ingest(buildDetection({ severity: 'high', timeMs: T0 + 20 * 60_000 }));
    const quiet = await intake.ingest(buildDetection({ severity: 'low', dedupKey: 'other' }));
    await first;
    socket.close();
    expect(opened.deliveries).toEqual([{ sink: 'syslog-udp', ok: true }]);
    expect(folded).toMatchObject({ isNew: false, alert: { count: 2 } });
    expect(quiet.deliveries).toEqual([]);
    expect(datagrams).toHaveLength(1);
    expect(datagrams[0]).toContain(`alertId="${opened.alert.id}"`);
  });

  it('refuses an invalid sink entry at start-up', async () => {
    const runtime = { env: {}, baseDir: '.', clock: new ManualClock(T0), random: createRandom(1) };
    const db = await openAlertDb();
    expect(() =>
      createAlertIntake({ sinks: [{ type: 'webhook', url: 'https://x.example' }] }, db, runtime),
    ).toThrow(expect.objectContaining({ code: 'SINK_CONFIG_INVALID' }));
  });
});
