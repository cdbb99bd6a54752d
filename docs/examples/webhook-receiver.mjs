/* global process, console, Buffer */
// Vigil's webhook signature: HMAC-SHA256 of "<x-vigil-timestamp>.<raw body>" with the shared secret.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
// prettier-ignore
createServer((req, res) => {
  const chunks = []; req.on('data', (c) => chunks.push(c)).on('end', () => {
    const body = Buffer.concat(chunks), ts = String(req.headers['x-vigil-timestamp']);
    const want = Buffer.from(`sha256=${createHmac('sha256', process.env.VIGIL_WEBHOOK_SECRET).update(`${ts}.`).update(body).digest('hex')}`);
    const got = Buffer.from(String(req.headers['x-vigil-signature']));
    const fresh = Math.abs(Date.now() / 1000 - Number(ts)) <= 300; // refuse replays of old deliveries
    const ok = fresh && got.length === want.length && timingSafeEqual(got, want);
    res.writeHead(ok ? 204 : 401).end();
    if (ok) console.log(body.toString('utf8')); // the alert, as JSON: act on it here
  });
}).listen(Number(process.env.PORT ?? 8080), function () { console.log(`listening on ${this.address().port}`); });
