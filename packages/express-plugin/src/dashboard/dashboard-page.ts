/**
 * QueueMonitoringDashboard: the operator page, one self-contained HTML document built with the
 * package (inline CSS and JS, no CDN). A strict Content-Security-Policy allows exactly the inline
 * script and stylesheet below, by hash, and network calls to this origin only.
 *
 * The script is client/dashboard-client.ts, compiled for the browser, and the stylesheet is
 * dashboard.css; the build inlines both as text (see the repository's tooling/inline-assets).
 */
import { createHash } from 'node:crypto';
import { RESUME_BUTTON_LABEL } from '@breakwater/core';
import type { RequestHandler } from 'express';
import DASHBOARD_SCRIPT from './client/dashboard-client.ts?browser';
import DASHBOARD_STYLES from './dashboard.css';

function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${sha256Source(DASHBOARD_SCRIPT)}`,
  `style-src ${sha256Source(DASHBOARD_STYLES)}`,
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Queue Monitoring · Breakwater</title>
<link rel="icon" href="data:,">
<style>${DASHBOARD_STYLES}</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="topbar">
  <div class="brand">
    <span class="logo" aria-hidden="true">B</span>
    <div>
      <h1>Queue Monitoring</h1>
      <p class="subtitle">Circuit breakers, service queues and campaigns</p>
    </div>
  </div>
  <div id="connection" class="connection" data-live="pending"><span class="dot" aria-hidden="true"></span><span id="connection-text">Connecting…</span></div>
</header>
<main id="main" tabindex="-1">
  <div id="load-error" class="banner banner-error" role="alert" hidden></div>

  <section class="card" aria-labelledby="resume-title">
    <div class="card-header">
      <h2 id="resume-title">Manual Queue Resume</h2>
      <p class="card-hint">The only way campaigns resume after a circuit breaker event.</p>
    </div>
    <div id="resume-body" class="resume-body" data-state="loading">
      <div class="resume-state">
        <h3 id="resume-heading">Loading…</h3>
        <p id="resume-detail"></p>
        <p id="resume-action" class="required-action" hidden></p>
        <dl id="resume-preview" class="preview" hidden>
          <div><dt>Jobs to resume</dt><dd id="preview-jobs">0</dd></div>
          <div><dt>Campaigns to resume</dt><dd id="preview-campaigns">0</dd></div>
        </dl>
      </div>
      <button type="button" id="resume-button" class="button button-primary" disabled>${escapeHtml(RESUME_BUTTON_LABEL)}</button>
    </div>
    <div id="background-tasks" class="background-tasks" data-state="not_reported"></div>
    <div id="resume-message" class="message" role="status" aria-live="polite"></div>
    <div id="resume-error" class="message" role="alert"></div>
  </section>

  <section class="card" aria-labelledby="services-title">
    <div class="card-header">
      <h2 id="services-title">Circuit Breakers &amp; Queues</h2>
      <p id="updated-at" class="card-hint"></p>
    </div>
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Circuit breaker</th>
            <th scope="col">Failures</th>
            <th scope="col">Last failure</th>
            <th scope="col">Queue</th>
            <th scope="col">Background tasks</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody id="service-rows"></tbody>
      </table>
    </div>
    <div id="notice" class="message" role="status" aria-live="polite"></div>
  </section>

  <section class="card" aria-labelledby="timeline-title">
    <div class="card-header">
      <h2 id="timeline-title">Last 24 hours</h2>
      <ul class="legend" aria-label="Legend">
        <li><span class="swatch swatch-closed" aria-hidden="true"></span>Closed</li>
        <li><span class="swatch swatch-half_open" aria-hidden="true"></span>Half-open</li>
        <li><span class="swatch swatch-open" aria-hidden="true"></span>Open</li>
        <li><span class="swatch swatch-trip" aria-hidden="true"></span>Tripped (solid)</li>
        <li><span class="swatch swatch-resume" aria-hidden="true"></span>Queue resumed (dashed)</li>
      </ul>
    </div>
    <div id="timeline-body" class="timeline"></div>
  </section>

  <div class="grid">
    <section class="card" aria-labelledby="campaigns-title">
      <h2 id="campaigns-title">Campaigns by status</h2>
      <ul id="campaign-counts" class="counts"></ul>
    </section>
    <section class="card" aria-labelledby="jobs-title">
      <h2 id="jobs-title">Jobs by status</h2>
      <ul id="job-counts" class="counts"></ul>
    </section>
  </div>

  <section class="card" aria-labelledby="paused-title">
    <div class="card-header">
      <h2 id="paused-title">Paused campaigns</h2>
      <p id="paused-count" class="card-hint"></p>
    </div>
    <div id="paused-campaigns" class="table-wrap"></div>
    <div class="pager">
      <button type="button" id="paused-previous" class="button button-secondary" hidden>Previous</button>
      <span id="paused-position" class="card-hint"></span>
      <button type="button" id="paused-next" class="button button-secondary" hidden>Next</button>
    </div>
  </section>

  <div class="grid">
    <section class="card" aria-labelledby="last-title">
      <h2 id="last-title">Last queue resume</h2>
      <div id="last-report" class="last-report"></div>
    </section>
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">Resume history</h2>
      <div id="resume-history"></div>
      <button type="button" id="resume-history-more" class="button button-secondary" hidden>Show older</button>
    </section>
  </div>
</main>
<dialog id="trip-dialog" aria-labelledby="trip-title" aria-describedby="trip-what">
  <form id="trip-form" novalidate>
    <h2 id="trip-title">Trip the circuit breaker?</h2>
    <p id="trip-what"></p>
    <label for="trip-reason">Reason <span class="subtle inline">(recorded in the history, with your name)</span></label>
    <input id="trip-reason" name="reason" type="text" maxlength="500" autocomplete="off" required>
    <p id="trip-error" class="field-error" role="alert"></p>
    <div class="dialog-actions">
      <button type="button" id="trip-cancel" class="button button-secondary">Cancel</button>
      <button type="submit" id="trip-confirm" class="button button-primary button-danger-primary">Trip</button>
    </div>
  </form>
</dialog>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;

/** `GET /dashboard`: the page, never cached (it is tiny) and never framed. */
export function serveDashboard(): RequestHandler {
  return (_req, res) => {
    res
      .status(200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': DASHBOARD_CONTENT_SECURITY_POLICY,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'X-Frame-Options': 'DENY',
      })
      .send(DASHBOARD_HTML);
  };
}
