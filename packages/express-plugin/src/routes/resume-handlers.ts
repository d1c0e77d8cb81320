/** `POST /resume-queue` and `GET /resume-queue/preview`: core's resumeQueue, its report in the wire form (docs/manual-resume.md#the-report). */
import type { RequestHandler } from 'express';
import { asyncHandler } from '../async-handler.js';
import { requestedBy } from '../authorization.js';
import { sendSuccess } from '../envelope.js';
import type { ResolvedRouterOptions } from '../options.js';
import { toWireReport } from '../wire-format.js';

type Options = Pick<ResolvedRouterOptions, 'breakwater' | 'identify'>;

/**
 * 200 with the report; a blocked resume throws PrerequisitesNotMetError (400, detail
 * `Cannot resume queue: Circuit breakers still open for: …`), a concurrent one ResumeInProgressError (409).
 */
export function resumeQueueHandler(options: Options): RequestHandler {
  return asyncHandler(async (req, res) => {
    const by = requestedBy(options, req);
    const report = await options.breakwater.resumeQueue(by === undefined ? {} : { requestedBy: by });
    sendSuccess(res, toWireReport(report));
  });
}

/** The dry run: what a resume would do now, or the same 400 when it would be blocked. Changes nothing. */
export function previewResumeHandler(options: Options): RequestHandler {
  return asyncHandler(async (req, res) => {
    const by = requestedBy(options, req);
    const report = await options.breakwater.resumeQueue(by === undefined ? { dryRun: true } : { dryRun: true, requestedBy: by });
    sendSuccess(res, toWireReport(report));
  });
}
