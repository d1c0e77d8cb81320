/** An Express app (5, or 4 in the `express4` project, by alias) with the router mounted where hosts mount it. */
import express, { type Express } from 'express';
import { type QueueManagementRouterOptions, queueManagementRouter } from '@breakwater/express-plugin';

export const MOUNT = '/api/v1/queue-management';

export function createTestApp(options: QueueManagementRouterOptions): Express {
  const app = express();
  app.use(MOUNT, queueManagementRouter(options));
  return app;
}

/** Headers the cross-site rule asks of state-changing requests (what the dashboard sends). */
export const SAME_SITE = { 'X-Requested-With': 'XMLHttpRequest' } as const;
