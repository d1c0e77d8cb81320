/**
 * A browser login for when an API token is configured: the dashboard's buttons send the
 * session cookie (they cannot send a bearer header), so `/login` trades the token for an
 * HttpOnly, SameSite=Strict cookie holding a digest of it, never the token itself.
 */
import { createHmac } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import { sameSecret } from './secret-comparison.js';

const COOKIE = 'breakwater_operator';
const SESSION_MAX_AGE_S = 8 * 60 * 60;

function sessionValue(apiToken: string): string {
  return createHmac('sha256', apiToken).update('breakwater operator session').digest('hex');
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export function hasOperatorSession(req: Request, apiToken: string): boolean {
  const presented = readCookie(req, COOKIE);
  return presented !== undefined && sameSecret(presented, sessionValue(apiToken));
}

const loginPage = (failed: boolean, next: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Breakwater operator login</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem}input,button{font:inherit;padding:.4rem;width:100%;box-sizing:border-box;margin:.3rem 0}</style></head>
<body><h1>Operator login</h1>
<p>This app requires its API token (<code>BREAKWATER_API_TOKEN</code>) for actions that change state.</p>
${failed ? '<p role="alert"><strong>That token is not right.</strong></p>' : ''}
<form method="post" action="login"><input type="hidden" name="next" value="${next}">
<label>API token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
<button type="submit">Log in</button></form></body></html>`;

/** Only same-app paths, so the login cannot be used to bounce a visitor elsewhere. */
function safeNext(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/[\w\-/]*$/.test(value) ? value : fallback;
}

export function operatorSessionRoutes(apiToken: string, dashboardPath: string): Router {
  const router = express.Router();
  router.get('/login', (req, res) => {
    res.type('html').send(loginPage(req.query.failed !== undefined, safeNext(req.query.next, dashboardPath)));
  });
  router.post('/login', express.urlencoded({ extended: false, limit: '2kb' }), (req, res) => {
    const body = (req.body ?? {}) as { token?: unknown; next?: unknown };
    const next = safeNext(body.next, dashboardPath);
    const token = typeof body.token === 'string' ? body.token : '';
    if (!sameSecret(token, apiToken)) {
      res.redirect(303, `login?failed&next=${encodeURIComponent(next)}`);
      return;
    }
    res.cookie(COOKIE, sessionValue(apiToken), {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
      maxAge: SESSION_MAX_AGE_S * 1000,
    });
    res.redirect(303, next);
  });
  return router;
}
