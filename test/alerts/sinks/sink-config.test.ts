import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { createRandom } from '../../../src/core/seeded-random.js';
import { EmailSink } from '../../../src/alerts/sinks/email-sink.js';
import { buildSink, parseSinkConfig } from '../../../src/alerts/sinks/sink-config.js';
import { SyslogSink } from '../../../src/alerts/sinks/syslog-sink.js';
import { WebhookSink } from '../../../src/alerts/sinks/webhook-sink.js';
import { expectCode } from '../../support/expect-code.js';
import { tempDir } from '../../support/temp-dir.js';

const runtime = (env: NodeJS.ProcessEnv, baseDir = tmpdir()) => ({
  env,
  baseDir,
  clock: new ManualClock(0),
  random: createRandom(1),
});

describe('sink configuration', () => {
  it('builds a webhook sink with its secret from an environment variable, defaulting minSeverity', () => {
    const config = parseSinkConfig({
      type: 'webhook',
      url: 'https://soc.example/hook',
      secret: { env: 'HOOK_SECRET' },
    });
    const built = buildSink(config, runtime({ HOOK_SECRET: 'hunter2' }));
    expect(built.sink).toBeInstanceOf(WebhookSink);
    expect(built.minSeverity).toBe('medium');
    expect(JSON.stringify(built.sink)).not.toContain('hunter2');
  });

  it('reads a secret from a file relative to the data directory, trimming the final newline', () => {
    const dir = tempDir('vigil-secret-');
    writeFileSync(path.join(dir, 'smtp.pass'), 'p@ss\n', { mode: 0o600 });
    const config = parseSinkConfig({
      type: 'email',
      host: 'smtp.example',
      port: 587,
      from: 'v@example.com',
      to: ['soc@example.com'],
      user: 'vigil',
      password: { file: 'smtp.pass' },
      minSeverity: 'high',
    });
    const built = buildSink(config, runtime({}, dir));
    expect(built.sink).toBeInstanceOf(EmailSink);
    expect(built.minSeverity).toBe('high');
  });

  it('maps a syslog facility keyword', () => {
    const config = parseSinkConfig({
      type: 'syslog',
      protocol: 'udp',
      host: '127.0.0.1',
      port: 514,
      facility: 'local4',
      cef: true,
    });
    expect(buildSink(config, runtime({})).sink).toBeInstanceOf(SyslogSink);
  });

  it('refuses a missing secret by naming the variable, and invalid entries by naming the field', () => {
    const config = parseSinkConfig({ type: 'slack', webhookUrl: { env: 'SLACK_URL' } });
    expect(expectCode(() => buildSink(config, runtime({})), 'SINK_SECRET_UNAVAILABLE').message).toContain(
      'SLACK_URL',
    );
    const badUrl = expectCode(
      () => parseSinkConfig({ type: 'webhook', url: 'x', secret: 'plain-text-secret' }),
      'SINK_CONFIG_INVALID',
    );
    expect(badUrl.category).toBe('input');
    const plain = expectCode(
      () => parseSinkConfig({ type: 'webhook', url: 'https://a.example', secret: 'plain-text-secret' }),
      'SINK_CONFIG_INVALID',
    );
    expect(plain.message).toContain('secret');
    expect(plain.message).not.toContain('plain-text-secret');
    expectCode(() => parseSinkConfig({ type: 'pager' }), 'SINK_CONFIG_INVALID');
  });
});
