/**
 * The demo API, for playing with the dashboard: launch campaigns, and switch a simulated
 * service between healthy, failing (503) and rate-limited (429). Same envelope as the
 * queue-management API: `{ status: 'success', data }` or `{ status: 'error', detail }`.
 */
import type { Breakwater } from '@breakwater/core';
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { requireApiToken } from './api-token-auth.js';
import { launchCampaign } from './campaign-launch.js';
import { SERVICE_MODES, type SimulatedServices, isServiceName } from './simulated-services.js';

export interface DemoRoutesOptions {
  breakwater: Breakwater;
  services: SimulatedServices;
  apiToken: string | null;
}

const campaignBodySchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
    leads: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').optional(),
  })
  .strict();

const modeBodySchema = z.object({ mode: z.enum(SERVICE_MODES, { error: `must be one of ${SERVICE_MODES.join(', ')}` }) }).strict();

class DemoRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .map((issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`
        : `"${issue.path.join('.')}" ${issue.message}`,
    )
    .join('; ');
  throw new DemoRequestError(400, `Invalid request body: ${detail}`);
}

/** An HTML form cannot send JSON: requiring it keeps a foreign page from switching the fakes through a visitor's browser. */
const requireJson: RequestHandler = (req, _res, next) => {
  next(req.is('application/json') ? undefined : new DemoRequestError(415, 'Send the body as Content-Type: application/json'));
};

export function demoRoutes({ breakwater, services, apiToken }: DemoRoutesOptions): Router {
  const router = express.Router();
  const guarded = [requireApiToken(apiToken), requireJson, express.json({ limit: '10kb' })];

  router.get('/services', (_req, res) => {
    res.json({ status: 'success', data: Object.values(services).map((service) => service.stats()) });
  });

  router.post('/services/:service/mode', ...guarded, (req, res) => {
    const name = String(req.params.service);
    if (!isServiceName(name)) throw new DemoRequestError(404, `Unknown service: ${name}`);
    const { mode } = parse(modeBodySchema, req.body);
    services[name].setMode(mode);
    res.json({ status: 'success', data: services[name].stats() });
  });

  router.post('/campaigns', ...guarded, async (req, res) => {
    const body = parse(campaignBodySchema, req.body);
    const leads = body.leads ?? 3;
    // Only for a default name and a different slice of the sample leads: a race between two launches is harmless.
    const existing = Object.values(await breakwater.campaigns.countCampaignsByStatus()).reduce((sum, n) => sum + n, 0);
    const { campaign, jobs } = await launchCampaign(breakwater, {
      name: body.name ?? `Outreach wave ${existing + 1}`,
      leads,
      firstLead: existing * leads,
    });
    res.status(201).json({ status: 'success', data: { campaign, jobs } });
  });

  const onError: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof DemoRequestError) {
      res.status(error.status).json({ status: 'error', detail: error.message });
      return;
    }
    // express.json's parse errors carry their status (400 malformed, 413 too large).
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ status: 'error', detail: (error as Error).message });
      return;
    }
    next(error);
  };
  router.use(onError);
  return router;
}
