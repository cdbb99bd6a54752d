import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { Random } from '../../core/seeded-random.js';
import { VigilError } from '../../core/vigil-error.js';
import { SEVERITIES, type Severity } from '../../detect/severity.js';
import type { AlertSink } from './alert-sink.js';
import { EmailSink } from './email-sink.js';
import type { SinkErrorCode } from './errors.js';
import { resolveSecret, secretRefSchema, type SecretSources } from './secret-ref.js';
import { SlackSink } from './slack-sink.js';
import { SYSLOG_FACILITIES } from './syslog-message.js';
import { SyslogSink } from './syslog-sink.js';
import { WebhookSink } from './webhook-sink.js';

const severity = z.enum(SEVERITIES);
const retry = z
  .object({
    maxAttempts: z.number().int().min(1).max(20),
    // At most a day: Node's timers fire at once past 2^31-1 ms, so a huge delay was a tight loop.
    baseDelayMs: z.number().int().min(0).max(86_400_000),
    maxDelayMs: z.number().int().min(0).max(86_400_000),
  })
  .strict();
const common = { name: z.string().min(1).optional(), minSeverity: severity.default('medium') };

/** The `alerts.sinks` list of vigil.yaml. Secrets appear only as `{env}` / `{file}` references. */
export const sinkConfigSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('webhook'),
      ...common,
      url: z.string().url(),
      secret: secretRefSchema,
      retry: retry.optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('slack'), ...common, webhookUrl: secretRefSchema, retry: retry.optional() })
    .strict(),
  z
    .object({
      type: z.literal('syslog'),
      ...common,
      protocol: z.enum(['udp', 'tcp', 'tls']),
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535),
      facility: z
        .union([
          z.number().int().min(0).max(23),
          z.enum(Object.keys(SYSLOG_FACILITIES) as [string, ...string[]]),
        ])
        .default('authpriv'),
      cef: z.boolean().default(false),
      appName: z.string().min(1).optional(),
      hostname: z.string().min(1).optional(),
      /** PEM file of the CA that signed the receiver's certificate (TLS only). */
      caFile: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('email'),
      ...common,
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535),
      security: z.enum(['tls', 'starttls', 'none']).default('starttls'),
      from: z.string().min(3),
      to: z.array(z.string().min(3)).min(1),
      user: z.string().min(1).optional(),
      password: secretRefSchema.optional(),
      caFile: z.string().min(1).optional(),
    })
    .strict(),
]);

export type SinkConfig = z.infer<typeof sinkConfigSchema>;

export interface SinkRuntime extends SecretSources {
  readonly clock: Clock;
  readonly random: Random;
}

export interface ConfiguredSink {
  readonly sink: AlertSink;
  readonly minSeverity: Severity;
}

/** Validates one sink entry; errors list the paths at fault, never the values. */
export function parseSinkConfig(input: unknown): SinkConfig {
  const parsed = sinkConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new VigilError<SinkErrorCode>('SINK_CONFIG_INVALID', `invalid alert sink: ${problems.join('; ')}`, {
      category: 'input',
      details: { problems },
    });
  }
  return parsed.data;
}

/** Composition: turns one validated entry into a live sink, resolving its secrets now. */
export function buildSink(config: SinkConfig, runtime: SinkRuntime): ConfiguredSink {
  const readCa = (file: string | undefined) =>
    file ? readFileSync(path.resolve(runtime.baseDir, file)) : undefined;
  const sink = ((): AlertSink => {
    switch (config.type) {
      case 'webhook':
        return new WebhookSink({
          name: config.name ?? 'webhook',
          url: config.url,
          secret: resolveSecret(config.secret, runtime),
          clock: runtime.clock,
          random: runtime.random.fork(`sink:${config.name ?? 'webhook'}`),
          ...(config.retry ? { retry: config.retry } : {}),
        });
      case 'slack':
        return new SlackSink({
          name: config.name ?? 'slack',
          webhookUrl: resolveSecret(config.webhookUrl, runtime),
          clock: runtime.clock,
          random: runtime.random.fork(`sink:${config.name ?? 'slack'}`),
          ...(config.retry ? { retry: config.retry } : {}),
        });
      case 'syslog': {
        const ca = readCa(config.caFile);
        return new SyslogSink({
          ...(config.name ? { name: config.name } : {}),
          endpoint: {
            protocol: config.protocol,
            host: config.host,
            port: config.port,
            ...(ca ? { tls: { ca } } : {}),
          },
          format: {
            facility:
              typeof config.facility === 'number'
                ? config.facility
                : (SYSLOG_FACILITIES[config.facility] ?? 10),
            cef: config.cef,
            ...(config.appName ? { appName: config.appName } : {}),
            ...(config.hostname ? { hostname: config.hostname } : {}),
          },
        });
      }
      case 'email': {
        const ca = readCa(config.caFile);
        return new EmailSink({
          ...(config.name ? { name: config.name } : {}),
          host: config.host,
          port: config.port,
          security: config.security,
          from: config.from,
          to: config.to,
          ...(config.user && config.password
            ? { auth: { user: config.user, pass: resolveSecret(config.password, runtime) } }
            : {}),
          ...(ca ? { ca } : {}),
        });
      }
    }
  })();
  return { sink, minSeverity: config.minSeverity };
}
