import { z } from 'zod';
import { OktaApiError } from '../errors.js';

export const ENFORCEMENT_MODES = ['skip-mfa', 'skip-lockout', 'ignore-zones', 'allow-deactivated'] as const;
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number];

const body = z
  .object({
    mode: z.enum([...ENFORCEMENT_MODES, 'normal']),
    users: z.array(z.string().min(1).max(200)).max(1000).optional(),
  })
  .strict();

/**
 * What a compromised provider's authn path has stopped enforcing (`POST /sim/enforcement`), per
 * mode: for everyone, or for some logins. The configuration is never touched: only the authn path
 * reads this.
 */
export class Enforcement {
  /** Per mode: `'everyone'`, or the lowercased logins it applies to. */
  readonly #modes = new Map<EnforcementMode, 'everyone' | Set<string>>();

  /** Whether the authn path skips `mode` for this login. */
  skips(mode: EnforcementMode, login: string): boolean {
    const who = this.#modes.get(mode);
    return who === 'everyone' || (who?.has(login.toLowerCase()) ?? false);
  }

  /** Applies a control request; 400 E0000001 naming the field for a bad body. */
  apply(input: unknown): void {
    const parsed = body.safeParse(input ?? {});
    if (!parsed.success) {
      const causes = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
      throw new OktaApiError(400, 'E0000001', 'Api validation failed: enforcement', causes);
    }
    const { mode, users } = parsed.data;
    const logins = users?.map((u) => u.toLowerCase());
    if (mode === 'normal') {
      if (!logins) return this.#modes.clear();
      for (const [m, who] of this.#modes) {
        if (who === 'everyone') continue;
        for (const l of logins) who.delete(l);
        if (who.size === 0) this.#modes.delete(m);
      }
      return;
    }
    const current = this.#modes.get(mode);
    if (!logins) this.#modes.set(mode, 'everyone');
    else if (current !== 'everyone') this.#modes.set(mode, new Set([...(current ?? []), ...logins]));
  }

  /** The state as the control endpoint answers it. */
  describe(): { enforcement: { mode: EnforcementMode; users: string[] | null }[] } {
    return {
      enforcement: [...this.#modes].map(([mode, who]) => ({
        mode,
        users: who === 'everyone' ? null : [...who],
      })),
    };
  }
}
