import type { Scenario } from './scenario.js';
import { AttackKit } from './attack-kit.js';
import { oktaId } from '../org/okta-ids.js';

/**
 * October 2023 (okta-api.md §4.4): a session token stolen from a support HAR file is replayed from a
 * new network and browser; the attacker opens the admin console, creates a user, makes it an admin
 * and mints an API token.
 */
export const HAR_2023: Scenario = {
  name: 'har-2023',
  description: 'stolen admin session replayed from a new network; back-door admin and API token created',
  build(ctx) {
    const kit = new AttackKit(ctx);
    const admin = kit.admin();
    const f = ctx.events;
    const sid = kit.newSession();
    const home = f.homeOrigin(admin, ctx.random);
    const actor = f.userActor(admin);
    kit.push(
      f.build({
        eventType: 'user.session.start',
        displayMessage: 'User login to Okta',
        legacyEventType: 'core.user_auth.login_success',
        published: kit.t,
        actor,
        origin: home,
        sessionId: sid,
        target: [kit.adminConsoleTarget()],
      }),
    );
    const evil = kit.hostileOrigin();
    const attack = [
      kit.push(
        f.build({
          eventType: 'user.session.access_admin_app',
          displayMessage: 'User accessing Okta admin app',
          published: kit.after(95),
          actor,
          origin: evil,
          sessionId: sid,
          target: [kit.adminConsoleTarget()],
        }),
      ),
    ];
    const backdoorLogin = 'svc_network_backup@' + ctx.org.domain;
    const backdoor = kit.newUserTarget(backdoorLogin);
    attack.push(
      kit.push(
        f.build({
          eventType: 'user.lifecycle.create',
          displayMessage: 'Create Okta user',
          legacyEventType: 'core.user.config.user_creation.success',
          published: kit.after(3),
          actor,
          origin: evil,
          sessionId: sid,
          target: [backdoor],
        }),
      ),
    );
    attack.push(
      kit.push(
        f.build({
          eventType: 'user.account.privilege.grant',
          displayMessage: 'Grant user privilege',
          legacyEventType: 'core.user.admin_privilege.granted',
          published: kit.after(2),
          actor,
          origin: evil,
          sessionId: sid,
          target: [backdoor],
          debugData: { privilegeGranted: 'Super administrator' },
        }),
      ),
    );
    const tokenId = oktaId(ctx.random, '00T');
    attack.push(
      kit.push(
        f.build({
          eventType: 'system.api_token.create',
          displayMessage: 'Create API token',
          legacyEventType: 'api.token.create',
          published: kit.after(4),
          actor,
          origin: evil,
          sessionId: sid,
          target: [
            {
              id: tokenId,
              type: 'Token',
              alternateId: 'unknown',
              displayName: 'backup-sync',
              detailEntry: null,
            },
          ],
        }),
      ),
    );
    const at = (type: string) =>
      new Date(Date.parse(kit.events.find((e) => e.eventType === type)!.published)).toISOString();
    return {
      events: kit.events,
      users: [{ id: backdoor.id, login: backdoorLogin }],
      // The back door the log records is in the configuration: a super admin and its token.
      config: [
        {
          resource: `/api/v1/users/${backdoor.id}/roles`,
          patch: {
            type: 'SUPER_ADMIN',
            created: at('user.account.privilege.grant'),
            lastUpdated: at('user.account.privilege.grant'),
          },
          at: Date.parse(at('user.account.privilege.grant')),
        },
        {
          resource: '/api/v1/api-tokens',
          patch: {
            id: tokenId,
            name: 'backup-sync',
            userId: admin.id,
            clientName: 'Okta API',
            tokenWindow: 'P30D',
            expiresAt: new Date(Date.parse(at('system.api_token.create')) + 30 * 86_400_000).toISOString(),
            network: { connection: 'ANYWHERE' },
            created: at('system.api_token.create'),
            lastUpdated: at('system.api_token.create'),
          },
          at: Date.parse(at('system.api_token.create')),
        },
      ],
      truth: {
        scenario: 'har-2023',
        attackEventIds: attack.map((e) => e.uuid),
        expectedDetections: [
          'vigil-session-reuse',
          'okta-admin-console-new-user-created',
          'okta-admin-role-granted',
          'okta-api-token-created',
        ],
        breach: {
          // Okta: September 28 to October 17, 2023; the first customer saw its session replayed on October 2.
          publishedWindow: kit.publishedWindow(
            Date.parse(attack[0]!.published),
            4,
            15,
            "the provider's window: four days before the day the stolen session was replayed through fifteen days after (Okta: September 28 – October 17, 2023)",
          ),
          // Okta published the attacker's addresses and its browser's user agent.
          iocs: kit.iocsOf(evil),
          principals: [
            { id: admin.id, login: admin.login, why: 'session replayed from a stolen HAR file' },
            {
              id: backdoor.id,
              login: backdoorLogin,
              why: 'created and made super admin by the attacker',
            },
          ],
          containment: [
            { kind: 'clear-sessions', target: admin.id },
            { kind: 'suspend-user', target: backdoor.id },
            { kind: 'revoke-api-token', target: tokenId },
          ],
          supportActions: [],
        },
      },
    };
  },
};
