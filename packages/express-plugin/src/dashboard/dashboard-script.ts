/**
 * The dashboard's browser script, inlined in the page. Plain ES2020 with no template literals
 * (it lives inside one). It calls the API relative to where the router is mounted, sends the
 * X-Requested-With header and a JSON content type the cross-site rule asks for, and refetches
 * the status whenever the event stream reports a change.
 */
export const DASHBOARD_SCRIPT = String.raw`
(function () {
  'use strict';

  // The page is served at <mount>/dashboard: every API path is relative to <mount>.
  var base = location.pathname.replace(/\/dashboard\/?$/, '');
  function endpoint(path) { return base + '/' + path; }

  // The operator's strings of docs/manual-resume.md#what-the-operator-sees, word for word.
  var RESUME_LABEL = 'Resume Queue & All Campaigns';
  var RESUMING_LABEL = 'Resuming Queue...';
  var BLOCKED_HEADING = '\u26A0\uFE0F Cannot Resume Queue';
  var READY_HEADING = '\u2705 Ready to Resume';
  var SUCCESS_PREFIX = 'Successfully resumed queue system. ';

  var CAMPAIGN_STATUSES = ['RUNNING', 'PAUSED', 'DRAFT', 'COMPLETED', 'FAILED', 'CANCELLED'];
  var JOB_STATUSES = ['PENDING', 'PROCESSING', 'PAUSED', 'COMPLETED', 'FAILED'];
  var STATUS_TONES = { RUNNING: 'ok', PROCESSING: 'ok', COMPLETED: 'ok', PAUSED: 'warn', FAILED: 'bad' };
  var BREAKERS = {
    closed: { label: 'Closed', icon: '\u2713', tone: 'ok' },
    open: { label: 'Open', icon: '\u2715', tone: 'bad' },
    half_open: { label: 'Half-open', icon: '\u25D0', tone: 'warn' }
  };
  var QUEUES = {
    ACTIVE: { label: 'Active', icon: '\u25B6', tone: 'ok' },
    PAUSED: { label: 'Paused', icon: '\u2759\u2759', tone: 'warn' }
  };
  // Events that change what the page shows; resume:requested / resume:blocked change nothing
  // (and the page's own preview announces them: refreshing on them would loop).
  var CHANGE_EVENTS = [
    'breaker:opened', 'breaker:half-open', 'breaker:closed', 'breaker:reset', 'service:paused',
    'service:resumed', 'campaign:resumed', 'campaign:resume-failed', 'resume:completed', 'job:enqueued'
  ];

  var state = {
    status: null,
    preview: null,
    loadError: null,
    updatedAt: null,
    live: null,
    resuming: false,
    resumeResult: null,
    notice: null,
    pendingResets: {}
  };

  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function titleCase(value) { return value.charAt(0) + value.slice(1).toLowerCase(); }
  function formatTime(iso) {
    if (!iso) return '';
    var date = new Date(iso);
    if (isNaN(date.getTime())) return iso;
    return date.toDateString() === new Date().toDateString() ? date.toLocaleTimeString() : date.toLocaleString();
  }

  function api(method, path) {
    var headers = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
    var init = { method: method, headers: headers, credentials: 'same-origin', cache: 'no-store' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      init.body = '{}';
    }
    return fetch(endpoint(path), init).then(
      function (response) {
        return response.json().catch(function () { return null; }).then(function (payload) {
          if (response.ok && payload && payload.status === 'success') return payload.data;
          var detail = payload && typeof payload.detail === 'string' ? payload.detail : 'Request failed (HTTP ' + response.status + ')';
          throw new Error(detail);
        });
      },
      function () { throw new Error('The server could not be reached'); }
    );
  }

  // ---- loading -------------------------------------------------------------------------------

  var refreshing = false;
  var refreshAgain = false;
  var refreshTimer = null;

  function scheduleRefresh() {
    if (refreshTimer !== null) return;
    refreshTimer = setTimeout(function () { refreshTimer = null; refresh(); }, 150);
  }

  function refresh() {
    if (refreshing) { refreshAgain = true; return Promise.resolve(); }
    refreshing = true;
    return api('GET', 'status')
      .then(function (status) {
        state.status = status;
        state.loadError = null;
        state.updatedAt = new Date();
        if (status.blocked_by.length > 0) { state.preview = null; return; }
        return api('GET', 'resume-queue/preview').then(
          function (preview) { state.preview = preview; },
          function () { state.preview = null; }
        );
      })
      .catch(function (error) { state.loadError = error.message; })
      .then(function () {
        refreshing = false;
        render();
        if (refreshAgain) { refreshAgain = false; return refresh(); }
      });
  }

  // ---- actions -------------------------------------------------------------------------------

  function resumeQueue() {
    if (state.resuming) return;
    var button = $('resume-button');
    var hadFocus = document.activeElement === button;
    state.resuming = true;
    state.resumeResult = null;
    state.notice = null;
    render();
    api('POST', 'resume-queue').then(
      function (data) {
        state.resumeResult = {
          kind: 'success',
          text: SUCCESS_PREFIX + (data && data.message ? data.message : ''),
          errors: (data && data.campaign_resume_errors) || []
        };
      },
      function (error) { state.resumeResult = { kind: 'error', text: error.message, errors: [] }; }
    ).then(function () {
      state.resuming = false;
      render();
      return refresh();
    }).then(function () {
      if (hadFocus && !button.disabled) button.focus();
    });
  }

  function resetBreaker(service) {
    if (state.pendingResets[service]) return;
    state.pendingResets[service] = true;
    render();
    api('POST', 'circuit-breakers/' + encodeURIComponent(service) + '/reset').then(
      function () {
        state.notice = { kind: 'success', text: 'Circuit breaker for ' + service + ' reset to closed. Paused queues and campaigns stay paused until you resume the queue.' };
      },
      function (error) { state.notice = { kind: 'error', text: error.message }; }
    ).then(function () {
      delete state.pendingResets[service];
      return refresh();
    });
  }

  // ---- rendering -----------------------------------------------------------------------------

  function renderMessage(node, message) {
    node.textContent = '';
    if (!message) { node.removeAttribute('data-kind'); return; }
    node.setAttribute('data-kind', message.kind);
    node.appendChild(el('p', null, message.text));
  }

  function renderConnection() {
    var node = $('connection');
    node.setAttribute('data-live', state.live === null ? 'pending' : String(state.live));
    $('connection-text').textContent = state.live === null ? 'Connecting\u2026' : state.live ? 'Live updates' : 'Reconnecting\u2026';
  }

  function renderResume(status) {
    var body = $('resume-body');
    var blocked = status.blocked_by;
    var detail;
    if (blocked.length > 0) {
      body.setAttribute('data-state', 'blocked');
      $('resume-heading').textContent = BLOCKED_HEADING;
      detail = 'Circuit breakers still open for: ' + blocked.map(function (b) { return b.service + ' (' + b.reason + ')'; }).join(', ') +
        '. Required action: reset the open circuit breakers first.';
    } else {
      body.setAttribute('data-state', 'ready');
      $('resume-heading').textContent = READY_HEADING;
      var nothingPaused = state.preview && state.preview.jobs_resumed === 0 && state.preview.campaigns_eligible === 0;
      detail = nothingPaused
        ? 'All circuit breakers are closed and nothing is paused.'
        : 'All circuit breakers are closed. Resuming restarts every service queue, its paused jobs and every paused campaign.';
    }
    var othersResuming = status.resume_in_progress && !state.resuming;
    if (othersResuming) detail += ' A queue resume is in progress right now.';
    $('resume-detail').textContent = detail;

    var preview = $('resume-preview');
    preview.hidden = !(blocked.length === 0 && state.preview);
    if (state.preview) {
      $('preview-jobs').textContent = String(state.preview.jobs_resumed);
      $('preview-campaigns').textContent = String(state.preview.campaigns_eligible);
    }

    var button = $('resume-button');
    button.textContent = state.resuming ? RESUMING_LABEL : RESUME_LABEL;
    button.disabled = state.resuming || blocked.length > 0 || othersResuming;
    button.setAttribute('aria-busy', String(state.resuming));

    var result = state.resumeResult;
    renderMessage($('resume-message'), result && result.kind === 'success' ? result : null);
    var errorNode = $('resume-error');
    if (result && result.kind === 'error') {
      renderMessage(errorNode, result);
    } else if (result && result.errors.length > 0) {
      renderMessage(errorNode, { kind: 'error', text: result.errors.length + ' campaign(s) could not be resumed:' });
      var list = el('ul');
      result.errors.forEach(function (text) { list.appendChild(el('li', null, text)); });
      errorNode.appendChild(list);
    } else {
      renderMessage(errorNode, null);
    }
  }

  var rows = {};
  function serviceRow(service) {
    if (rows[service]) return rows[service];
    var tr = el('tr');
    tr.setAttribute('data-service', service);
    var name = el('th', null, service);
    name.scope = 'row';
    var breakerCell = el('td');
    var breakerBadge = el('span', 'badge');
    var breakerSince = el('span', 'subtle');
    breakerCell.append(breakerBadge, breakerSince);
    var failures = el('td', 'num');
    var reason = el('td');
    var queueCell = el('td');
    var queueBadge = el('span', 'badge');
    var queueReason = el('span', 'subtle');
    queueCell.append(queueBadge, queueReason);
    var actions = el('td', 'actions');
    var reset = el('button', 'button button-secondary', 'Reset');
    reset.type = 'button';
    reset.setAttribute('aria-label', 'Reset circuit breaker for ' + service);
    reset.addEventListener('click', function () { resetBreaker(service); });
    actions.appendChild(reset);
    tr.append(name, breakerCell, failures, reason, queueCell, actions);
    $('service-rows').appendChild(tr);
    rows[service] = { breakerBadge: breakerBadge, breakerSince: breakerSince, failures: failures, reason: reason, queueBadge: queueBadge, queueReason: queueReason, reset: reset };
    return rows[service];
  }

  function renderBadge(node, look) {
    node.setAttribute('data-tone', look.tone);
    node.textContent = '';
    var icon = el('span', null, look.icon);
    icon.setAttribute('aria-hidden', 'true');
    node.append(icon, el('span', null, look.label));
  }

  function renderServices(status) {
    var queues = {};
    status.queues.forEach(function (queue) { queues[queue.service] = queue; });
    status.breakers.forEach(function (breaker) {
      var row = serviceRow(breaker.service);
      renderBadge(row.breakerBadge, BREAKERS[breaker.state] || { label: breaker.state, icon: '?', tone: 'warn' });
      row.breakerSince.textContent = breaker.state !== 'closed' && breaker.opened_at ? 'since ' + formatTime(breaker.opened_at) + (breaker.latched ? ' (tripped manually)' : '') : '';
      row.failures.textContent = String(breaker.failure_count);
      row.reason.textContent = breaker.last_failure_reason || '\u2014';
      var queue = queues[breaker.service];
      if (queue) {
        renderBadge(row.queueBadge, QUEUES[queue.state] || { label: queue.state, icon: '?', tone: 'warn' });
        row.queueReason.textContent = queue.state === 'PAUSED' && queue.reason ? queue.reason : '';
      }
      var pending = Boolean(state.pendingResets[breaker.service]);
      row.reset.textContent = pending ? 'Resetting\u2026' : 'Reset';
      row.reset.setAttribute('aria-disabled', String(pending));
      row.reset.setAttribute('aria-busy', String(pending));
      row.reset.setAttribute('data-attention', String(breaker.state !== 'closed'));
    });
    $('updated-at').textContent = state.updatedAt ? 'Updated ' + state.updatedAt.toLocaleTimeString() : '';
    renderMessage($('notice'), state.notice);
  }

  function renderCounts(listId, statuses, counts) {
    var list = $(listId);
    statuses.forEach(function (status) {
      var item = list.querySelector('[data-status="' + status + '"]');
      if (!item) {
        item = el('li');
        item.setAttribute('data-status', status);
        if (STATUS_TONES[status]) item.setAttribute('data-tone', STATUS_TONES[status]);
        item.append(el('span', 'label', titleCase(status)), el('span', 'count', '0'));
        list.appendChild(item);
      }
      item.querySelector('.count').textContent = String(counts[status] || 0);
    });
  }

  function renderLastReport(report) {
    var node = $('last-report');
    node.textContent = '';
    if (!report) { node.appendChild(el('p', 'meta', 'No queue resume has run yet.')); return; }
    node.appendChild(el('p', null, report.message));
    node.appendChild(el('p', 'meta', 'Finished ' + formatTime(report.finished_at) + (report.requested_by ? ' \u00B7 requested by ' + report.requested_by : '')));
    var errors = report.campaign_resume_errors || [];
    if (errors.length > 0) {
      var list = el('ul');
      errors.forEach(function (text) { list.appendChild(el('li', null, text)); });
      node.appendChild(list);
    }
  }

  function render() {
    renderConnection();
    var loadError = $('load-error');
    loadError.hidden = !state.loadError;
    loadError.textContent = state.loadError ? 'Could not load the queue status: ' + state.loadError : '';
    var status = state.status;
    if (!status) return;
    renderResume(status);
    renderServices(status);
    renderCounts('campaign-counts', CAMPAIGN_STATUSES, status.campaigns);
    renderCounts('job-counts', JOB_STATUSES, status.jobs);
    renderLastReport(status.last_report);
  }

  // ---- live updates --------------------------------------------------------------------------

  function connect() {
    if (typeof EventSource === 'undefined') {
      setInterval(refresh, 10000);
      return;
    }
    var source = new EventSource(endpoint('events'));
    source.onopen = function () { state.live = true; renderConnection(); refresh(); };
    source.onerror = function () { state.live = false; renderConnection(); };
    CHANGE_EVENTS.forEach(function (name) { source.addEventListener(name, scheduleRefresh); });
  }

  $('resume-button').addEventListener('click', resumeQueue);
  render();
  refresh();
  connect();
})();
`;
