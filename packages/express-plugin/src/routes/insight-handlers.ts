/**
 * `GET /history` and `GET /campaigns`: what happened (the durable history, newest first) and which campaigns
 * wait (with their status messages), each a page at a time with a cursor: `next_cursor` is the next page's
 * `before` (history) or `after` (campaigns), null on the last page.
 */
import type { Breakwater, HistoryKind } from '@breakwater/core';
import type { RequestHandler } from 'express';
import { asyncHandler } from '../async-handler.js';
import { sendSuccess } from '../envelope.js';
import { campaignsQuerySchema, historyQuerySchema, parseQuery } from '../request-query.js';
import { toWireCampaign, toWireHistoryEntry } from '../wire-format.js';

const DEFAULT_CAMPAIGN_PAGE = 20;

export function historyHandler(breakwater: Pick<Breakwater, 'history'>): RequestHandler {
  return asyncHandler(async (req, res) => {
    const query = parseQuery(historyQuerySchema, req.query);
    const page = await breakwater.history({
      ...(query.service === undefined ? {} : { service: query.service }),
      ...(query.kind === undefined ? {} : { kinds: query.kind as HistoryKind[] }),
      ...(query.before === undefined ? {} : { before: query.before }),
      ...(query.since === undefined ? {} : { since: query.since }),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
    });
    sendSuccess(res, { entries: page.entries.map(toWireHistoryEntry), next_cursor: page.nextCursor });
  });
}

export function campaignsHandler(breakwater: Pick<Breakwater, 'campaigns'>): RequestHandler {
  return asyncHandler(async (req, res) => {
    const query = parseQuery(campaignsQuerySchema, req.query);
    const limit = query.limit ?? DEFAULT_CAMPAIGN_PAGE;
    // One more than asked tells whether another page follows.
    const found = await breakwater.campaigns.listCampaigns({
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.after === undefined ? {} : { after: query.after }),
      limit: limit + 1,
    });
    const campaigns = found.slice(0, limit);
    sendSuccess(res, {
      campaigns: campaigns.map(toWireCampaign),
      next_cursor: found.length > limit ? (campaigns[campaigns.length - 1]?.id ?? null) : null,
    });
  });
}
