import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/seeded-random.js';
import type { Alert } from '../../src/alerts/alert.js';
import { AlertIntake } from '../../src/alerts/alert-intake.js';
import { AlertRouter } from '../../src/alerts/alert-router.js';
import { AlertStore } from '../../src/alerts/alert-store.js';
import type { AlertSink } from '../../src/alerts/sinks/alert-sink.js';
import { WebhookSink } from '../../src/alerts/sinks/webhook-sink.js';
import { openAlertDb } from './alert-db.js';
import { T0, buildDetection } from './build-detection.js';

/** A real HTTP receiver; it records which alert ids reached it. */
let server: Server;
let url: string;
const received: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { alert: { id: string } };
      received.push(`${req.url}:${payload.alert.id}`);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const webhook = (path: string, clock: ManualClock) =>
  new WebhookSink({ name: path, url: `${url}${path}`, secret: 's', clock, random: createRandom(path) });

/** A sink whose receiver is down: every send fails. */
const brokenSink: AlertSink = {
  name: 'broken',
  send: (_alert: Alert) => Promise.reject(Object.assign(new Error('down'), { code: 'SINK_DELIVERY_FAILED' })),
};

describe('AlertIntake', () => {
  it('routes each NEW alert to the sinks whose minSeverity it meets, and repeats to none', async () => {
    received.length = 0;
    const clock = new ManualClock(T0);
    const router = new AlertRouter([
      { sink: webhook('/all', clock), minSeverity: 'informational' },
      { sink: webhook('/pager', clock), minSeverity: 'high' },
      { sink: brokenSink, minSeverity: 'critical' },
    ]);
    const intake = new AlertIntake(new AlertStore(await openAlertDb(), { clock }), router);

    const medium = await intake.ingest(buildDetection({ severity: 'medium', dedupKey: 'm' }));
    const repeat = await intake.ingest(
      buildDetection({ severity: 'medium', dedupKey: 'm', timeMs: T0 + 1000 }),
    );
    const critical = await intake.ingest(buildDetection({ severity: 'critical', dedupKey: 'c' }));

    expect(medium.deliveries).toEqual([{ sink: '/all', ok: true }]);
    expect(repeat).toMatchObject({ isNew: false, deliveries: [] });
    expect(critical.deliveries).toEqual([
      { sink: '/all', ok: true },
      { sink: '/pager', ok: true },
      { sink: 'broken', ok: false, code: 'SINK_DELIVERY_FAILED', message: 'down' },
    ]);
    expect(received.sort()).toEqual(
      [`/all:${medium.alert.id}`, `/all:${critical.alert.id}`, `/pager:${critical.alert.id}`].sort(),
    );
  });
});
