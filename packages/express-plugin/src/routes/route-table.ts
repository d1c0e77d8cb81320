/**
 * Declares a path's handlers per method; any other method answers 405 with `Allow`, in the envelope, but
 * only to a caller `authorizeRefusal` lets through: an anonymous caller must not learn which routes exist.
 */
import type { RequestHandler, Router } from 'express';
import { HttpError } from '../http-error.js';

export type MethodHandlers = Partial<Record<'GET' | 'POST', RequestHandler[]>>;

export function addRoute(router: Router, path: string, handlers: MethodHandlers, authorizeRefusal: RequestHandler): void {
  const route = router.route(path);
  if (handlers.GET) route.get(...handlers.GET);
  if (handlers.POST) route.post(...handlers.POST);
  const allow = [...(handlers.GET ? ['GET', 'HEAD'] : []), ...(handlers.POST ? ['POST'] : [])].join(', ');
  route.all(authorizeRefusal, (req, _res, next) =>
    next(new HttpError(405, `Method ${req.method} not allowed; use ${allow}`, { Allow: allow })),
  );
}
