import Fastify from 'fastify';
import { systemClock, type Clock } from '../core/clock.js';
import { createRandom } from '../core/seeded-random.js';
import type { OktaLogEvent } from '../sources/okta/log-event.js';
import { AuthnEvents } from './authn/authn-events.js';
import { AuthnService } from './authn/authn-service.js';
import { AuthnUsers, type CreatedUser, type CreateUserInput } from './authn/authn-users.js';
import { Enforcement } from './authn/enforcement.js';
import { LogSuppression } from './authn/log-suppression.js';
import type { ConfigBucket } from './config/config-families.js';
import type { ConfigModel } from './config/config-model.js';
import type { ConfigProfile } from './config/config-seed.js';
import { createOrgConfig } from './config/org-config.js';
import { NO_FAULTS, type FaultOptions } from './faults.js';
import { SimLogStore } from './log-store.js';
import { OrgHistory } from './org-history.js';
import type { SimOrg } from './org/sim-org.js';
import { RETENTION_MS } from './query/log-query.js';
import { MinuteRateLimiter } from './rate-limiter.js';
import type { ScenarioPlan, ScenarioTruth } from './scenarios/scenario.js';
import { EventFactory } from './events/event-factory.js';
import { registerAuthnRoutes } from './server/authn-routes.js';
import { registerConfigRoutes } from './server/config-routes.js';
import { registerContainmentRoutes } from './server/containment-routes.js';
import { registerSupportRoutes } from './server/support-routes.js';
import { SupportDesk } from './support/support-desk.js';
import { UserContainment, type ContainedUser } from './support/user-containment.js';
import { errorBody, registerLogsRoute } from './server/logs-route.js';

const DAY = 86_400_000;

export interface SimulatorOptions {
  readonly seed?: number;
  /** People in the organisation (default 200). */
  readonly users?: number;
  /** Days of history before the clock's now (default 7). */
  readonly days?: number;
  /** The SSWS API token the simulator accepts (default `sim-token`); also accepted as a Bearer token with `okta.logs.read`. */
  readonly token?: string;
  /** More OAuth bearer tokens and their scopes (a token without `okta.logs.read` gets 403). */
  readonly oauthTokens?: Readonly<Record<string, readonly string[]>>;
  readonly port?: number;
  readonly host?: string;
  readonly clock?: Clock;
  /** Requests per minute on /api/v1/logs (default 120, Okta Workforce Identity; okta-api.md §1.7). */
  readonly rateLimitPerMinute?: number;
  readonly faults?: FaultOptions;
  readonly scenarios?: readonly ScenarioPlan[];
  /** Keep generating traffic as the clock moves on (default true); false freezes the org at start. */
  readonly liveTraffic?: boolean;
  /** Serve the control endpoints (`POST /sim/shadow-change`, `POST /sim/api-tokens`): `vigil sim --control`. */
  readonly control?: boolean;
  /** Requests per minute of the configuration APIs' buckets (docs/simulator-config.md). */
  readonly configRateLimits?: Partial<Record<ConfigBucket, number>>;
  /** Called after each answered log request (tests use it to act at exact points). */
  /** Read the authn client address from `X-Forwarded-For` (default false: the TCP peer). */
  readonly trustForwardedFor?: boolean;
  readonly onRequest?: (entry: { at: number; path: string; status: number }, count: number) => void;
  /** Requests per minute of the users bucket the containment endpoints share (default 600). */
  readonly usersRateLimit?: number;
}

export interface RunningSimulator {
  /** The org URL, e.g. http://127.0.0.1:PORT; the API is under /api/v1. */
  readonly baseUrl: string;
  readonly token: string;
  readonly org: SimOrg;
  /** Every event committed to the log by now and inside retention: what a complete copy holds. */
  truth(): readonly OktaLogEvent[];
  /** Every event the simulator holds whose published time has passed (committed or not yet). */
  held(): readonly OktaLogEvent[];
  readonly scenarioTruth: readonly ScenarioTruth[];
  /** The org's configuration (docs/simulator-config.md), and what its seed chose. */
  readonly config: ConfigModel;
  readonly configProfile: ConfigProfile;
  /** The Classic Authentication API's users: `createUser` makes one with a known password and TOTP secret. */
  readonly authn: { createUser(input: CreateUserInput): CreatedUser };
  /** What containment did to a user: sessions cleared, factors reset (docs/simulator-response.md). */
  readonly containment: { user(userId: string): ContainedUser };
  /** Each request the log endpoint answered, on the simulator's clock. */
  requestLog(): readonly { at: number; path: string; status: number }[];
  close(): Promise<void>;
}

/** Starts the Okta-compatible System Log server on loopback. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const clock = options.clock ?? systemClock;
  const seed = options.seed ?? 1;
  const token = options.token ?? 'sim-token';
  const startNow = clock.now();
  const historyStart = startNow - (options.days ?? 7) * DAY;
  const faults = options.faults ?? NO_FAULTS;
  const history = new OrgHistory({ seed, users: options.users ?? 200, startMs: historyStart });
  const store = new SimLogStore(createRandom(seed).fork('persistence'), {
    lateRate: faults.lateRate ?? 0,
    lateMaxMs: faults.lateMaxMs ?? 0,
  });
  const live = options.liveTraffic ?? true;
  // Events a compromised provider leaves out of its log (`POST /sim/log-suppression`).
  const suppression = new LogSuppression();
  const catchUp = () => {
    const now = clock.now();
    const fresh = history.generateUntil(live ? now : startNow).filter((e) => suppression.admits(e));
    store.add(live ? fresh : fresh.filter((e) => Date.parse(e.published) <= startNow), now);
    store.expire(now - RETENTION_MS);
  };
  catchUp();
  store.add(
    history.scenarioEvents(options.scenarios ?? [], historyStart + DAY / 4, startNow - DAY / 8),
    startNow,
  );

  const log: { at: number; path: string; status: number }[] = [];
  let baseUrl = '';
  const app = Fastify({ logger: false });
  const random = createRandom(seed).fork('server');
  registerLogsRoute(app, {
    store,
    now: () => clock.now(),
    catchUp,
    baseUrl: () => baseUrl,
    apiTokens: new Set([token]),
    oauthTokens: new Map(Object.entries({ [token]: ['okta.logs.read'], ...options.oauthTokens })),
    limiter: new MinuteRateLimiter(options.rateLimitPerMinute ?? 120),
    faults,
    random,
    record: (entry) => {
      log.push(entry);
      options.onRequest?.(entry, log.length);
    },
  });
  const writeToLog = (event: OktaLogEvent) => {
    if (suppression.admits(event)) store.add([event], clock.now());
  };
  const config = createOrgConfig({
    seed,
    org: history.org,
    startMs: startNow,
    scenarioChanges: history.scenarioConfigChanges,
    now: () => clock.now(),
    emit: writeToLog,
  });
  // A scenario placed after the start changes the configuration when its time comes.
  app.addHook('onRequest', async () => config.applyDue(clock.now()));
  registerConfigRoutes(app, {
    model: config.model,
    writer: config.writer,
    random: createRandom(seed).fork('config-server'),
    now: () => clock.now(),
    baseUrl: () => baseUrl,
    apiTokens: new Set([token]),
    oauthTokens: new Map(Object.entries({ [token]: ['okta.logs.read'], ...options.oauthTokens })),
    control: options.control ?? false,
    ...(options.configRateLimits ? { limits: options.configRateLimits } : {}),
  });
  const authnRandom = createRandom(seed).fork('authn');
  const users = new AuthnUsers({
    org: history.org,
    model: config.model,
    random: authnRandom.fork('users'),
    now: () => clock.now(),
    startMs: startNow,
    scenarioUsers: history.scenarioUsers,
  });
  const enforcement = new Enforcement();
  registerAuthnRoutes(app, {
    service: new AuthnService({
      model: config.model,
      users,
      enforcement,
      events: new AuthnEvents(
        new EventFactory(history.org, authnRandom.fork('events')),
        () => clock.now(),
        writeToLog,
      ),
      random: authnRandom.fork('tokens'),
      now: () => clock.now(),
      baseUrl: () => baseUrl,
      admin: history.org.admins[0] ?? history.org.users[0]!,
    }),
    users,
    enforcement,
    suppression,
    random: authnRandom.fork('server'),
    now: () => clock.now(),
    apiTokens: new Set([token]),
    control: options.control ?? false,
    trustForwardedFor: options.trustForwardedFor ?? false,
  });
  const responseRandom = createRandom(seed).fork('response');
  const responseEvents = new EventFactory(history.org, responseRandom.fork('events'));
  const tokenOwner = history.org.admins[0] ?? history.org.users[0]!;
  const containment = new UserContainment({
    users,
    now: () => clock.now(),
    events: responseEvents,
    actor: tokenOwner,
    origin: responseEvents.homeOrigin(tokenOwner),
    emit: writeToLog,
  });
  registerContainmentRoutes(app, {
    containment,
    random: responseRandom.fork('containment-server'),
    now: () => clock.now(),
    apiTokens: new Set([token]),
    ...(options.usersRateLimit === undefined ? {} : { limit: options.usersRateLimit }),
  });
  if (options.control) {
    registerSupportRoutes(app, {
      desk: new SupportDesk({
        model: config.model,
        random: responseRandom.fork('support'),
        now: () => clock.now(),
        events: responseEvents,
        admin: tokenOwner,
        emit: writeToLog,
      }),
      random: responseRandom.fork('support-server'),
      apiTokens: new Set([token]),
    });
  }
  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .send(errorBody(random, 'E0000007', `Not found: Resource not found: ${request.url} (GET)`));
  });
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;

  const visible = (committed: boolean) => {
    catchUp();
    const now = clock.now();
    return store.byPublished
      .filter((h) => h.publishedMs <= now && (!committed || h.persistedMs <= now))
      .map((h) => h.event);
  };
  return {
    baseUrl,
    token,
    org: history.org,
    truth: () => visible(true),
    held: () => visible(false),
    scenarioTruth: history.scenarioTruth,
    config: config.model,
    configProfile: config.profile,
    authn: { createUser: (input) => users.create(input) },
    containment: { user: (userId) => containment.state(userId) },
    requestLog: () => log,
    close: () => app.close(),
  };
}
