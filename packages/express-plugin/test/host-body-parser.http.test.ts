/**
 * A host that parses bodies itself, before the router (`app.use(express.json())`): its parser's
 * refusals never reach the router, so `queueManagementErrorHandler()`, mounted after the router,
 * answers them in the envelope, and leaves every other error to the host.
 */
import express, { type ErrorRequestHandler, type Express } from 'express';
import { queueManagementErrorHandler, queueManagementRouter } from '@breakwater/express-plugin';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { closeTestBreakwaters, createTestBreakwater } from './in-memory-breakwater.js';
import { MOUNT, SAME_SITE } from './test-app.js';

afterEach(closeTestBreakwaters);

/** The host's own last error handler: a plain-text 500, so a test can tell who answered. */
const hostErrorHandler: ErrorRequestHandler = (error: Error, _req, res, _next) => {
  res.status(500).type('text/plain').send(`host handled: ${error.message}`);
};

function hostApp(options: { withErrorHandler: boolean }): Express {
  const app = express();
  app.use(express.json({ limit: '1kb' }));
  app.post('/api/v1/orders', (req, res) => {
    res.json({ received: req.body });
  });
  app.get(`${MOUNT}/host-route-that-fails`, () => {
    throw new Error('the host broke');
  });
  app.use(MOUNT, queueManagementRouter({ breakwater: createTestBreakwater().bw, allowUnauthenticated: true }));
  if (options.withErrorHandler) app.use(MOUNT, queueManagementErrorHandler());
  app.use(hostErrorHandler);
  return app;
}

function postRaw(app: Express, path: string, body: string) {
  return request(app).post(path).set(SAME_SITE).set('Content-Type', 'application/json').send(body);
}

describe('a host that parses JSON before the router', () => {
  it('without queueManagementErrorHandler, a malformed body never reaches the router', async () => {
    const res = await postRaw(hostApp({ withErrorHandler: false }), `${MOUNT}/resume-queue`, '{"reason":');
    expect(res.status).toBe(500);
    expect(res.text).toMatch(/^host handled: /);
  });

  it('with it, a malformed body is answered 400 in the envelope', async () => {
    const res = await postRaw(hostApp({ withErrorHandler: true }), `${MOUNT}/circuit-breakers/apollo/trip`, '{"reason":');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ status: 'error', detail: 'Malformed JSON in request body' });
  });

  it('with it, a body over the host parser limit is answered 413 in the envelope', async () => {
    const res = await postRaw(hostApp({ withErrorHandler: true }), `${MOUNT}/resume-queue`, JSON.stringify({ pad: 'x'.repeat(4_000) }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ status: 'error', detail: 'Request body too large' });
  });

  it('with it, an unsupported charset is answered 415 in the envelope', async () => {
    const res = await request(hostApp({ withErrorHandler: true }))
      .post(`${MOUNT}/resume-queue`)
      .set(SAME_SITE)
      .set('Content-Type', 'application/json; charset=klingon')
      .send('{}');
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ status: 'error', detail: expect.stringContaining('unsupported charset') });
  });

  it('a well-formed body still reaches the router, which answers as usual', async () => {
    const res = await postRaw(hostApp({ withErrorHandler: true }), `${MOUNT}/circuit-breakers/apollo/trip`, '{"reason":"maintenance"}');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'success', data: { service: 'apollo', state: 'open' } });
  });

  it("leaves the host's own errors, and its other paths, to the host", async () => {
    const app = hostApp({ withErrorHandler: true });
    const failing = await request(app).get(`${MOUNT}/host-route-that-fails`);
    expect(failing.status).toBe(500);
    expect(failing.text).toBe('host handled: the host broke');
    // A malformed body on one of the host's own routes is none of the plugin's business.
    const elsewhere = await postRaw(app, '/api/v1/orders', '{"oops":');
    expect(elsewhere.status).toBe(500);
    expect(elsewhere.text).toMatch(/^host handled: /);
  });
});
