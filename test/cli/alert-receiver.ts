import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export const RECEIVER_SECRET = 'whsec-outbox-test';

/**
 * A real webhook receiver on loopback that refuses (HTTP 503) or accepts, as the test says; it
 * checks the HMAC itself and records the id of every alert it accepted (checkpoint messages aside). Closed when the test ends.
 */
export async function alertReceiver() {
  const state = { refusing: true, accepted: [] as string[], refused: 0, badSignatures: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ts = String(req.headers['x-vigil-timestamp']);
      const expected =
        'sha256=' + createHmac('sha256', RECEIVER_SECRET).update(`${ts}.${body}`).digest('hex');
      if (req.headers['x-vigil-signature'] !== expected) state.badSignatures++;
      const { alert } = JSON.parse(body) as { alert: { id: string; rule: { id: string } } };
      // Signed checkpoints go to the sinks too (issue 14); only alerts are counted here.
      const counted = alert.rule.id !== 'vigil-checkpoint';
      if (state.refusing) {
        if (counted) state.refused++;
        res.statusCode = 503;
        res.end('down for maintenance');
        return;
      }
      if (counted) state.accepted.push(alert.id);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, state };
}
