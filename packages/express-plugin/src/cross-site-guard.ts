/**
 * State-changing routes refuse what a foreign page could make a browser send:
 * 1. the request must carry `Content-Type: application/json` or an `X-Requested-With` header
 *    (an HTML form can set neither; a cross-origin fetch that does needs a CORS preflight this router never grants);
 * 2. when the browser sends `Origin`, it must be the request's own host (or an allowed origin).
 */
import type { Request, RequestHandler } from 'express';
import { HttpError } from './http-error.js';

export interface CrossSiteRequest {
  contentType: string | undefined;
  requestedWith: string | undefined;
  origin: string | undefined;
  /** The hosts this request was addressed to: `Host`, and `X-Forwarded-Host` behind a trusted proxy. */
  hosts: readonly string[];
}

/** Why the request is refused, or null when it may go on. */
export function crossSiteRefusal(request: CrossSiteRequest, allowedOrigins: readonly string[]): string | null {
  const mediaType = request.contentType?.split(';')[0]?.trim().toLowerCase();
  const isJson = mediaType === 'application/json' || (mediaType?.endsWith('+json') ?? false);
  if (!isJson && !request.requestedWith) {
    return 'Cross-site request refused: send Content-Type: application/json or an X-Requested-With header';
  }
  if (request.origin === undefined) return null;
  if (allowedOrigins.includes(request.origin)) return null;
  const originHost = URL.canParse(request.origin) ? new URL(request.origin).host : null;
  if (originHost !== null && request.hosts.some((host) => host.toLowerCase() === originHost)) return null;
  return `Cross-site request refused: Origin ${request.origin} does not match this host`;
}

type TrustProxy = (address: string | undefined, hop: number) => boolean;

function requestHosts(req: Request): string[] {
  const hosts = req.headers.host ? [req.headers.host] : [];
  // Express compiles its `trust proxy` setting into this function (Express 4 and 5 alike).
  const trustProxy = req.app.get('trust proxy fn') as TrustProxy | undefined;
  const forwarded = req.headers['x-forwarded-host'];
  if (typeof forwarded === 'string' && trustProxy?.(req.socket.remoteAddress, 0)) {
    const first = forwarded.split(',')[0]?.trim();
    if (first) hosts.push(first);
  }
  return hosts;
}

export function refuseCrossSite(allowedOrigins: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    const requestedWith = req.headers['x-requested-with'];
    const refusal = crossSiteRefusal(
      {
        contentType: req.headers['content-type'],
        requestedWith: typeof requestedWith === 'string' && requestedWith.length > 0 ? requestedWith : undefined,
        origin: req.headers.origin,
        hosts: requestHosts(req),
      },
      allowedOrigins,
    );
    next(refusal ? new HttpError(403, refusal) : undefined);
  };
}
