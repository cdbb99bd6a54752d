import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { parseConfigFile, vigilConfigSchema } from '../../src/config/vigil-config.js';
import { tempDir } from '../support/temp-dir.js';

const EXAMPLE = path.resolve('docs/vigil.example.yaml');
const BIN = path.resolve('bin/vigil.js');

/** Every key path a schema accepts: list items as `[]`, alert sinks by type (`<webhook>`), secret forms as `{env}` / `{file}`. */
function schemaKeys(schema: z.ZodTypeAny, at: string, out: Set<string>): Set<string> {
  let s = schema;
  while (
    s instanceof z.ZodOptional ||
    s instanceof z.ZodNullable ||
    s instanceof z.ZodDefault ||
    s instanceof z.ZodEffects
  )
    s = s instanceof z.ZodEffects ? (s._def.schema as z.ZodTypeAny) : (s._def.innerType as z.ZodTypeAny);
  if (s instanceof z.ZodObject)
    for (const [key, inner] of Object.entries(s.shape as Record<string, z.ZodTypeAny>)) {
      out.add(`${at}${key}`);
      schemaKeys(inner, `${at}${key}.`, out);
    }
  else if (s instanceof z.ZodArray) schemaKeys(s.element as z.ZodTypeAny, `${at}[].`, out);
  else if (s instanceof z.ZodDiscriminatedUnion)
    for (const option of s.options as z.AnyZodObject[]) {
      const type = (option.shape['type'] as z.ZodLiteral<string>).value;
      schemaKeys(option, `${at}<${type}>.`, out);
    }
  else if (s instanceof z.ZodUnion)
    for (const option of s.options as z.ZodTypeAny[])
      if (option instanceof z.ZodObject) for (const key of Object.keys(option.shape)) out.add(`{${key}}`);
  return out;
}

/** The same key paths, as a YAML document uses them. */
function documentKeys(value: unknown, at: string, out: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) documentKeys(item, `${at}[].`, out);
  else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && (entries[0]![0] === 'env' || entries[0]![0] === 'file')) {
      out.add(`{${entries[0]![0]}}`);
      return out;
    }
    const type = (value as { type?: unknown }).type;
    const here = at.endsWith('sinks.[].') && typeof type === 'string' ? `${at}<${type}>.` : at;
    for (const [key, inner] of entries) {
      out.add(`${here}${key}`);
      documentKeys(inner, `${here}${key}.`, out);
    }
  }
  return out;
}

describe('docs/vigil.example.yaml', () => {
  it('is read by the real configuration parser', () => {
    const config = parseConfigFile(EXAMPLE);
    expect(config.sources.map((s) => s.name)).toEqual(['okta', 'okta-preview']);
    expect(config.alerts.sinks.map((s) => s.type).sort()).toEqual(['email', 'slack', 'syslog', 'webhook']);
  });

  it('shows every key the schema has (a key added to the schema and not documented fails here)', () => {
    const expected = schemaKeys(vigilConfigSchema, '', new Set());
    const shown = documentKeys(parse(readFileSync(EXAMPLE, 'utf8')), '', new Set());
    expect([...expected].filter((k) => !shown.has(k))).toEqual([]);
  });

  it('states the defaults where it says it does', () => {
    const example = parseConfigFile(EXAMPLE);
    const defaults = vigilConfigSchema.parse({});
    expect(example.collect).toEqual(defaults.collect);
    expect(example.posture).toEqual(defaults.posture);
    expect(example.alerts.delivery).toEqual(defaults.alerts.delivery);
    expect(example.alerts.dedupWindowMinutes).toBe(defaults.alerts.dedupWindowMinutes);
  });

  it('passes vigil config check once the secrets, CA files and rules it names are in place', async () => {
    const dir = tempDir('vigil-example-');
    copyFileSync(EXAMPLE, path.join(dir, 'vigil.yaml'));
    mkdirSync(path.join(dir, 'secrets'), { mode: 0o700 });
    for (const secret of [
      'okta-preview-token',
      'slack-webhook-url',
      'canary-admin.password',
      'canary-gone.totp',
    ])
      writeFileSync(path.join(dir, 'secrets', secret), 'value\n', { mode: 0o600 });
    for (const ca of ['siem-ca.pem', 'smtp-ca.pem']) writeFileSync(path.join(dir, ca), 'PEM\n');
    mkdirSync(path.join(dir, 'rules'));
    const rule = readFileSync('rules/vigil/okta-api-token-created.yml', 'utf8').replace(
      /^name: .*$/m,
      'name: acme-api-token-created',
    );
    writeFileSync(path.join(dir, 'rules', 'custom.yml'), rule);
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, '--data', dir, 'config', 'check'], {
      env: {
        PATH: process.env['PATH'],
        OKTA_TOKEN: 't',
        VIGIL_WEBHOOK_SECRET: 's',
        VIGIL_SMTP_PASSWORD: 'p',
        CANARY_ADMIN_TOTP: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
        CANARY_GONE_PASSWORD: 'p',
      },
    });
    expect(stdout).toContain(': OK (2 source(s), 4 alert sink(s))');
  });
});
