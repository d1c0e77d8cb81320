/**
 * The queue-management API and the operator dashboard, as one Express router (Express 4 and 5):
 *
 *   app.use('/api/v1/queue-management', queueManagementRouter({ breakwater: bw, authorize }));
 *
 * It installs its own JSON body parser and error handler, so every answer (including a malformed
 * body or a failing store) is the `{ status, data | detail }` envelope, never an HTML error page.
 */
import express, { type RequestHandler, type Router } from 'express';
import { requireAction } from './authorization.js';
import { refuseCrossSite } from './cross-site-guard.js';
import { serveDashboard } from './dashboard/dashboard-page.js';
import { createErrorHandler } from './error-response.js';
import { streamEvents } from './event-stream.js';
import { registerBreakwaterMetrics, serveMetrics } from './metrics.js';
import { type QueueAction, type QueueManagementRouterOptions, resolveRouterOptions } from './options.js';
import { resetBreakerHandler, tripBreakerHandler } from './routes/breaker-handlers.js';
import { campaignsHandler, historyHandler } from './routes/insight-handlers.js';
import { previewResumeHandler, resumeQueueHandler } from './routes/resume-handlers.js';
import { addRoute } from './routes/route-table.js';
import { listBreakersHandler, statusHandler } from './routes/status-handlers.js';

const BODY_LIMIT = '16kb';

export function queueManagementRouter(input: QueueManagementRouterOptions): Router {
  const options = resolveRouterOptions(input);
  const { breakwater } = options;
  const router = express.Router();

  const view = requireAction(options, 'view');
  const sameSiteOnly = refuseCrossSite(options.allowedOrigins);
  const jsonBody = express.json({ limit: BODY_LIMIT });
  /** State-changing routes: cross-site check, then authorization, then (only then) the body is read. */
  const change = (action: QueueAction, handler: RequestHandler): RequestHandler[] => [
    sameSiteOnly,
    requireAction(options, action),
    jsonBody,
    handler,
  ];

  addRoute(router, '/resume-queue', { POST: change('resume', resumeQueueHandler(options)) }, view);
  addRoute(router, '/resume-queue/preview', { GET: [view, previewResumeHandler(options)] }, view);
  addRoute(router, '/status', { GET: [view, statusHandler(breakwater)] }, view);
  addRoute(router, '/circuit-breakers', { GET: [view, listBreakersHandler(breakwater)] }, view);
  addRoute(router, '/circuit-breakers/:service/reset', { POST: change('reset', resetBreakerHandler(options)) }, view);
  addRoute(router, '/circuit-breakers/:service/trip', { POST: change('trip', tripBreakerHandler(options)) }, view);
  addRoute(router, '/history', { GET: [view, historyHandler(breakwater)] }, view);
  addRoute(router, '/campaigns', { GET: [view, campaignsHandler(breakwater)] }, view);
  addRoute(router, '/events', { GET: [view, streamEvents(breakwater, options.heartbeatIntervalMs)] }, view);
  addRoute(router, '/dashboard', { GET: [view, serveDashboard()] }, view);
  if (options.metrics) {
    registerBreakwaterMetrics(options.metrics, breakwater);
    addRoute(router, '/metrics', { GET: [view, serveMetrics(options.metrics)] }, view);
  }

  router.use(createErrorHandler(options.logger));
  return router;
}
