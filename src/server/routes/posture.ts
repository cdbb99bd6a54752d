import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isVigilError } from '../../core/vigil-error.js';
import { PostureService } from '../../posture/posture-service.js';
import { posturePage, type PostureView } from '../../web/posture-page.js';
import { consoleRoute } from '../console-route.js';
import type { ConsoleServices } from '../console-services.js';
import { pageUser, sendPage } from '../page-reply.js';
import { requestInput } from '../request-input.js';
import { eventLogs } from './overview.js';

const postureQuery = z.object({ source: z.string().max(200).optional() });

/** The latest snapshot's review per source (`vigil posture check` with the default baseline); read only. */
export async function postureView(services: ConsoleServices, query: unknown): Promise<PostureView> {
  const q = requestInput(postureQuery, query, 'query');
  const posture = new PostureService({ custody: services.runtime.custody(), clock: services.clock });
  const sources = q.source ? [q.source] : await eventLogs(services);
  const reports: PostureView['reports'][number][] = [];
  for (const source of sources) {
    try {
      reports.push({ source, report: await posture.review(source, { raiseAlerts: false }) });
    } catch (error) {
      if (!isVigilError(error) || error.code !== 'POSTURE_NO_SNAPSHOT') throw error;
      reports.push({ source, report: null });
    }
  }
  return { reports };
}

export function registerPostureRoutes(app: FastifyInstance, services: ConsoleServices): void {
  consoleRoute(app, {
    method: 'GET',
    url: '/api/v1/posture',
    access: 'viewer',
    handler: (request) => postureView(services, request.query),
  });
  consoleRoute(app, {
    method: 'GET',
    url: '/posture',
    access: 'viewer',
    page: true,
    handler: async (request, reply) =>
      sendPage(
        reply,
        posturePage(
          services.tokenizer.tokenizeEvent(await postureView(services, request.query)),
          pageUser(request),
        ),
      ),
  });
}
