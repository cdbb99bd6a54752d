import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { vigilConfigSchema } from '../../src/config/vigil-config.js';
import { signingKeyPath } from '../../src/keys/signing-key-file.js';
import { LEDGER_KINDS, ledgerLog, ledgerOrigin } from '../../src/ledger/ledger-log.js';

// docs/design.md "Ledgers": one log per source and kind; the events log keeps the name every store
// before kinds used, so existing checkpoints (origin vigil.local/<source>) keep verifying.
describe('ledger logs', () => {
  it('names the events log after the source and every other kind <source>/<kind>', () => {
    expect(ledgerLog('okta')).toBe('okta');
    expect(ledgerOrigin(ledgerLog('okta', 'events'))).toBe('vigil.local/okta');
    expect(LEDGER_KINDS.filter((k) => k !== 'events').map((k) => ledgerOrigin(ledgerLog('okta', k)))).toEqual(
      [
        'vigil.local/okta/config-snapshots',
        'vigil.local/okta/canary-results',
        'vigil.local/okta/actions',
        'vigil.local/okta/audit',
        'vigil.local/okta/support-tickets',
        'vigil.local/okta/alerts',
        'vigil.local/okta/detection-marks',
      ],
    );
  });

  it('never gives two logs one name or one key file, whatever the sources are called', () => {
    // Source names a user may configure, including ones that look like a kind log's name.
    const sources = ['okta', 'okta-config-snapshots', 'okta-audit', 'a', 'audit'];
    for (const name of sources)
      expect(
        vigilConfigSchema.safeParse({
          sources: [{ name, type: 'okta', url: 'https://x.okta.com', tokenEnv: 'T' }],
        }).success,
      ).toBe(true);
    expect(
      vigilConfigSchema.safeParse({
        sources: [{ name: 'okta/audit', type: 'okta', url: 'https://x.okta.com', tokenEnv: 'T' }],
      }).success,
    ).toBe(false);
    const logs = sources.flatMap((s) => LEDGER_KINDS.map((k) => ledgerLog(s, k)));
    expect(new Set(logs).size).toBe(logs.length);
    const keys = logs.map((log) => path.basename(signingKeyPath('/d', ledgerOrigin(log))));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
