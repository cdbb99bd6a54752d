import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSecret } from '../../src/alerts/sinks/secret-ref.js';
import { resolveToken } from '../../src/config/vigil-config.js';
import { privateFileProblem } from '../../src/core/private-file.js';
import { loadSigningKeyFile, createSigningKeyFile } from '../../src/keys/signing-key-file.js';
import { expectCode } from '../support/expect-code.js';
import { tempDir } from '../support/temp-dir.js';

/** One check for every file holding a secret: sink secrets, source tokens, signing keys. */
describe('secret files others can read are refused, by one shared check', () => {
  it.each([0o644, 0o640, 0o604, 0o660, 0o602])('mode %s is refused', (mode) => {
    const dir = tempDir('vigil-private-');
    const file = path.join(dir, 'secret');
    writeFileSync(file, 's3cret\n');
    chmodSync(file, mode);
    expect(privateFileProblem(file)).toContain(`mode ${mode.toString(8)}`);
    const sink = expectCode(
      () => resolveSecret({ file: 'secret' }, { env: {}, baseDir: dir }),
      'SINK_SECRET_UNAVAILABLE',
    );
    expect(sink.message).toContain('readable by others');
    expect(sink.message).not.toContain('s3cret');
    const source = { name: 'okta', type: 'okta' as const, url: 'https://x.okta.com', tokenFile: 'secret' };
    expectCode(() => resolveToken(source, {}, dir), 'CONFIG_SECRET_UNAVAILABLE');
  });

  it('a 0600 sink secret is read', () => {
    const dir = tempDir('vigil-private-');
    writeFileSync(path.join(dir, 'secret'), 's3cret\n', { mode: 0o600 });
    expect(resolveSecret({ file: 'secret' }, { env: {}, baseDir: dir })).toBe('s3cret');
  });

  it('a directory or FIFO is not a secret file', () => {
    const dir = tempDir('vigil-private-');
    mkdirSync(path.join(dir, 'sub'), { mode: 0o700 });
    expect(privateFileProblem(path.join(dir, 'sub'))).toBe('is not a regular file');
  });

  it('the signing key goes through the same check', () => {
    const file = path.join(tempDir('vigil-private-'), 'keys', 'k.key');
    createSigningKeyFile(file, 'vigil.test/okta');
    chmodSync(file, 0o640);
    const err = expectCode(() => loadSigningKeyFile(file), 'KEY_FILE_INSECURE');
    expect(err.message).toContain(privateFileProblem(file)!);
  });
});
