/**
 * The outreach backend: Breakwater over the configured stores, one worker per simulated service,
 * the queue-management API and dashboard, and a small demo API to launch campaigns and break things.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Breakwater, type Logger, type Worker, createBreakwater } from '@breakwater/core';
import { queueManagementRouter } from '@breakwater/express-plugin';
import express, { type Express } from 'express';
import { queueAuthorization } from './api-token-auth.js';
import { watchCampaignCompletion } from './campaign-completion.js';
import type { AppConfig } from './config.js';
import { consoleLogger } from './console-logger.js';
import { demoRoutes } from './demo-routes.js';
import { operatorSessionRoutes } from './operator-session.js';
import { createServiceWorkers } from './service-workers.js';
import { SERVICE_NAMES, type ServiceName, type SimulatedServices, createSimulatedServices } from './simulated-services.js';
import { type Stores, buildStores } from './stores.js';

export const QUEUE_MANAGEMENT_PATH = '/api/v1/queue-management';
export const DASHBOARD_PATH = `${QUEUE_MANAGEMENT_PATH}/dashboard`;
export const DEMO_API_PATH = '/api/v1/demo';

export interface BuildAppOptions {
  /** Default: a console logger at `config.logLevel`. */
  logger?: Logger;
}

export interface OutreachApp {
  app: Express;
  /** Typed by the service names (inferred from SERVICE_NAMES): `bw.breakers.trip('apolo', …)` does not compile. */
  bw: Breakwater<ServiceName>;
  workers: Worker<ServiceName>[];
  services: SimulatedServices;
  stores: Stores;
  logger: Logger;
  /** Starts the workers and the HTTP server; resolves to the base URL it listens on. */
  start(): Promise<string>;
  /** Stops taking requests, lets in-flight jobs finish, then closes Breakwater and the stores. */
  close(): Promise<void>;
}

export async function buildApp(config: AppConfig, options: BuildAppOptions = {}): Promise<OutreachApp> {
  const logger = options.logger ?? consoleLogger({ level: config.logLevel });
  const stores = await buildStores(config, logger);
  try {
    return assemble(config, logger, stores);
  } catch (error) {
    // Options rejected after the stores connected: do not leave their connections open.
    await stores.close().catch(() => {});
    throw error;
  }
}

function assemble(config: AppConfig, logger: Logger, stores: Stores): OutreachApp {
  const services = createSimulatedServices({ latencyMs: config.serviceLatencyMs });
  const bw = createBreakwater({
    services: SERVICE_NAMES,
    breakerStore: stores.breakerStore,
    queueStore: stores.queueStore,
    campaigns: stores.campaigns,
    history: stores.history,
    workers: stores.workers,
    policy: { failureThreshold: config.failureThreshold, resetTimeoutMs: config.breakerResetTimeoutMs },
    logger,
  });
  const workers = createServiceWorkers(
    bw,
    services,
    { concurrency: config.workerConcurrency, pollIntervalMs: config.workerPollIntervalMs, retryBackoffMs: config.retryBackoffMs },
    logger,
  );
  const stopWatchingCampaigns = watchCampaignCompletion(bw, workers, logger);

  const app = express();
  app.disable('x-powered-by');
  app.get('/', (_req, res) => res.redirect(302, DASHBOARD_PATH));
  if (config.apiToken) app.use(operatorSessionRoutes(config.apiToken, DASHBOARD_PATH));
  app.use(QUEUE_MANAGEMENT_PATH, queueManagementRouter({ breakwater: bw, ...queueAuthorization(config.apiToken), logger }));
  app.use(DEMO_API_PATH, demoRoutes({ breakwater: bw, services, apiToken: config.apiToken }));
  app.use((req, res) => {
    res.status(404).json({ status: 'error', detail: `Not found: ${req.method} ${req.path}` });
  });
  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    logger.error({ err: error, method: req.method, path: req.path }, `Request failed: ${req.method} ${req.path}`);
    if (!res.headersSent) res.status(500).json({ status: 'error', detail: 'Internal server error' });
  });

  let server: Server | null = null;
  let closing: Promise<void> | null = null;

  const start = async (): Promise<string> => {
    await Promise.all(workers.map((worker) => worker.start()));
    server = await listen(app, config.port, config.host);
    const { address, port } = server.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  };

  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (server) await stopServer(server);
      await Promise.all(workers.map((worker) => worker.stop({ graceful: true })));
      stopWatchingCampaigns();
      await bw.close();
      await stores.close();
    })();
    return closing;
  };

  return { app, bw, workers, services, stores, logger, start, close };
}

function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

/** Stops accepting, and ends idle keep-alive and event-stream connections so close() does not wait on them. */
function stopServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
    // The dashboard's event stream never goes idle by itself.
    setTimeout(() => server.closeAllConnections(), 1000).unref();
  });
}
