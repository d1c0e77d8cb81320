import type { Request } from 'express';
import express from 'express';
import { type QueueAction, queueManagementRouter } from '@breakwater/express-plugin';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { closeTestBreakwaters, createTestBreakwater } from './in-memory-breakwater.js';
import { MOUNT, SAME_SITE, createTestApp } from './test-app.js';

afterEach(closeTestBreakwaters);

function breakwater() {
  const test = createTestBreakwater();
  return test.bw;
}

const ROUTES: { method: 'get' | 'post'; path: string; action: QueueAction }[] = [
  { method: 'post', path: '/resume-queue', action: 'resume' },
  { method: 'get', path: '/resume-queue/preview', action: 'view' },
  { method: 'get', path: '/status', action: 'view' },
  { method: 'get', path: '/circuit-breakers', action: 'view' },
  { method: 'post', path: '/circuit-breakers/apollo/reset', action: 'reset' },
  { method: 'post', path: '/circuit-breakers/apollo/trip', action: 'trip' },
  { method: 'get', path: '/dashboard', action: 'view' },
];

describe('authorize(req, action)', () => {
  it.each(ROUTES)('is asked for "$action" on $method $path, and false answers 403', async ({ method, path, action }) => {
    const asked: QueueAction[] = [];
    const app = createTestApp({
      breakwater: breakwater(),
      authorize: (_req, requested) => {
        asked.push(requested);
        return false;
      },
    });
    const res = await request(app)[method](`${MOUNT}${path}`).set(SAME_SITE).send({ reason: 'r' });
    expect(asked).toEqual([action]);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ status: 'error', detail: `Not authorized to ${action} queue management` });
  });

  it('lets a request through only when it resolves to exactly true', async () => {
    const decisions: unknown[] = [true, 'yes', 1, undefined];
    const statuses: number[] = [];
    for (const decision of decisions) {
      const app = createTestApp({ breakwater: breakwater(), authorize: async () => decision as boolean });
      statuses.push((await request(app).get(`${MOUNT}/status`)).status);
    }
    expect(statuses).toEqual([200, 403, 403, 403]);
  });

  it('answers 401 when it throws (not authenticated)', async () => {
    const app = createTestApp({
      breakwater: breakwater(),
      authorize: () => {
        throw new Error('no session');
      },
    });
    const res = await request(app).get(`${MOUNT}/status`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ status: 'error', detail: 'Authentication required' });
  });

  it('sees the request, so a host can decide per user and per action', async () => {
    const bw = breakwater();
    const authorize = (req: Request, action: QueueAction) =>
      req.get('x-role') === 'admin' || (req.get('x-role') === 'viewer' && action === 'view');
    const app = createTestApp({ breakwater: bw, authorize });
    expect((await request(app).get(`${MOUNT}/status`).set('X-Role', 'viewer')).status).toBe(200);
    expect((await request(app).post(`${MOUNT}/circuit-breakers/apollo/trip`).set('X-Role', 'viewer').send({ reason: 'r' })).status).toBe(
      403,
    );
    expect((await request(app).post(`${MOUNT}/circuit-breakers/apollo/trip`).set('X-Role', 'admin').send({ reason: 'r' })).status).toBe(
      200,
    );
    expect((await bw.breakers.get('apollo')).state).toBe('open');
  });

  it('runs before a wrong method is refused: an anonymous caller learns nothing of which routes exist', async () => {
    const anonymous = createTestApp({
      breakwater: breakwater(),
      authorize: () => {
        throw new Error('no session');
      },
    });
    for (const [method, path] of [
      ['delete', '/status'],
      ['put', '/circuit-breakers/apollo/trip'],
      ['get', '/resume-queue'],
    ] as const) {
      const res = await request(anonymous)[method](`${MOUNT}${path}`);
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.allow).toBeUndefined();
    }
    const forbidden = createTestApp({ breakwater: breakwater(), authorize: () => false });
    expect((await request(forbidden).delete(`${MOUNT}/status`)).status).toBe(403);
    const viewer = createTestApp({ breakwater: breakwater(), authorize: (_req, action) => action === 'view' });
    const refused = await request(viewer).delete(`${MOUNT}/status`);
    expect(refused.status).toBe(405);
    expect(refused.headers.allow).toBe('GET, HEAD');
  });

  it('runs before the body is read: an unauthorized malformed body answers 403, not 400', async () => {
    const app = createTestApp({ breakwater: breakwater(), authorize: () => false });
    const res = await request(app).post(`${MOUNT}/circuit-breakers/apollo/trip`).set('Content-Type', 'application/json').send('{oops');
    expect(res.status).toBe(403);
  });
});

describe('a malformed percent-escape in the path', () => {
  it.each(['%E0%A4%A', '%C0%AF', '%'])('answers 400 in the envelope for %s, logs nothing, and never reaches authorize', async (escape) => {
    const logged: unknown[] = [];
    let asked = 0;
    const app = createTestApp({
      breakwater: breakwater(),
      authorize: () => {
        asked += 1;
        return true;
      },
      logger: { error: (fields) => logged.push(fields) },
    });
    const res = await request(app).post(`${MOUNT}/circuit-breakers/${escape}/trip`).set(SAME_SITE).send({ reason: 'r' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ status: 'error', detail: 'Malformed percent-encoding in the request path' });
    expect(logged).toEqual([]);
    expect(asked).toBe(0);
  });
});

describe('identify(req)', () => {
  it('is recorded as requested_by; a throw answers 401', async () => {
    const app = createTestApp({
      breakwater: breakwater(),
      allowUnauthenticated: true,
      identify: (req) => {
        const user = req.get('x-user');
        if (user === 'broken') throw new Error('bad token');
        return user;
      },
    });
    const ok = await request(app).get(`${MOUNT}/resume-queue/preview`).set('X-User', 'bob');
    expect(ok.body.data.requested_by).toBe('bob');
    const anonymous = await request(app).get(`${MOUNT}/resume-queue/preview`);
    expect(anonymous.body.data.requested_by).toBeNull();
    const broken = await request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE).set('X-User', 'broken');
    expect(broken.status).toBe(401);
    expect(broken.body).toEqual({ status: 'error', detail: 'Authentication required' });
  });
});

describe('cross-site requests to state-changing routes', () => {
  const app = () => createTestApp({ breakwater: breakwater(), allowUnauthenticated: true });

  it('are refused without a JSON content type or X-Requested-With (what an HTML form sends)', async () => {
    const res = await request(app()).post(`${MOUNT}/resume-queue`).type('form').send('a=b');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      status: 'error',
      detail: 'Cross-site request refused: send Content-Type: application/json or an X-Requested-With header',
    });
  });

  it('pass with a JSON content type or with X-Requested-With', async () => {
    const json = await request(app()).post(`${MOUNT}/resume-queue`).set('Content-Type', 'application/json').send('{}');
    expect(json.status).toBe(200);
    const header = await request(app()).post(`${MOUNT}/resume-queue`).set(SAME_SITE);
    expect(header.status).toBe(200);
  });

  it('are refused when Origin is another host, and pass when it is this one', async () => {
    const foreign = await request(app()).post(`${MOUNT}/resume-queue`).set(SAME_SITE).set('Origin', 'https://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.body.detail).toBe('Cross-site request refused: Origin https://evil.example does not match this host');
    const opaque = await request(app()).post(`${MOUNT}/resume-queue`).set(SAME_SITE).set('Origin', 'null');
    expect(opaque.status).toBe(403);
    const same = await request(app())
      .post(`${MOUNT}/resume-queue`)
      .set(SAME_SITE)
      .set('Host', 'ops.example.com')
      .set('Origin', 'https://ops.example.com');
    expect(same.status).toBe(200);
  });

  it('pass from an allowed origin, and from the forwarded host only behind a trusted proxy', async () => {
    const allowed = createTestApp({ breakwater: breakwater(), allowUnauthenticated: true, allowedOrigins: ['https://ops.example.com'] });
    const fromAllowed = await request(allowed).post(`${MOUNT}/resume-queue`).set(SAME_SITE).set('Origin', 'https://ops.example.com');
    expect(fromAllowed.status).toBe(200);

    const forwarded = (trustProxy: boolean) => {
      const host = express();
      host.set('trust proxy', trustProxy);
      host.use(MOUNT, queueManagementRouter({ breakwater: breakwater(), allowUnauthenticated: true }));
      return request(host)
        .post(`${MOUNT}/resume-queue`)
        .set(SAME_SITE)
        .set('X-Forwarded-Host', 'ops.example.com')
        .set('Origin', 'https://ops.example.com');
    };
    expect((await forwarded(true)).status).toBe(200);
    expect((await forwarded(false)).status).toBe(403);
  });

  it('do not concern reads', async () => {
    const res = await request(app()).get(`${MOUNT}/status`).set('Origin', 'https://evil.example');
    expect(res.status).toBe(200);
  });
});
