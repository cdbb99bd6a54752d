import type { FastifyInstance } from 'fastify';
import type { ConsoleServices } from '../console-services.js';
import { registerAlertRoutes } from './alerts.js';
import { registerAssetRoutes } from './assets.js';
import { registerAuditRoutes } from './audit.js';
import { registerCanaryRoutes } from './canaries.js';
import { registerCustodyRoutes } from './custody.js';
import { registerEventRoutes } from './events.js';
import { registerHealthRoutes } from './health.js';
import { registerOverviewRoutes } from './overview.js';
import { registerPostureRoutes } from './posture.js';
import { registerRevealRoutes } from './reveal.js';
import { registerSettingsRoutes } from './settings.js';

/** Every console area: `/api/v1/<area>` for scripts and the page that shows it. */
export async function registerConsoleRoutes(app: FastifyInstance, services: ConsoleServices): Promise<void> {
  registerAssetRoutes(app);
  registerHealthRoutes(app, services);
  registerOverviewRoutes(app, services);
  registerAlertRoutes(app, services);
  registerEventRoutes(app, services);
  registerCustodyRoutes(app, services);
  registerPostureRoutes(app, services);
  registerCanaryRoutes(app, services);
  registerSettingsRoutes(app, services);
  registerRevealRoutes(app, services);
  registerAuditRoutes(app, services);
}
