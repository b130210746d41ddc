import { DASHBOARD_CHART_BUILDERS } from './dashboard-client-charts.script.js';

/**
 * The dashboard's browser script, served at `<dashboard>/assets/dashboard.js`: for
 * each `canvas[data-chart]` it fetches `data-src` (a JSON endpoint beside the page),
 * draws it with Chart.js (served by the package, global `Chart`) without animation,
 * and tells its state on the figure (`data-state`: `loading`, then `ready`, `empty`
 * or `error`, with a line of text for a person), keeping `data-ready="true"` (or
 * `data-error`) on the canvas so tests and scripts know it is done. It also fills the
 * overview's comparison (`[data-comparison]`). Text from the data is only ever set
 * with `textContent`. Kept a plain string (no build step), so it works alike from
 * `lib/` and `dist/`.
 * @internal
 */
export const DASHBOARD_CLIENT_SCRIPT = `(function () {
  'use strict';
  // Instants are labelled with their local date and time in the module's zone (<html data-time-zone>),
  // the zone the page names and the buckets are cut in; midnight shows as the bare date.
  var zone = document.documentElement.getAttribute('data-time-zone') || 'UTC';
  var localParts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  var label = function (t) {
    var instant = new Date(t);
    if (isNaN(instant.getTime())) return String(t);
    var p = {};
    localParts.formatToParts(instant).forEach(function (part) { p[part.type] = part.value; });
    return (p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute).replace(/ 00:00$/, '');
  };
${DASHBOARD_CHART_BUILDERS}
  // ── States: loading, ready, empty, error (a 503 says the store is away and when to retry) ──
  var setState = function (holder, state, text) {
    holder.setAttribute('data-state', state);
    var line = holder.querySelector('.state');
    if (!line) return;
    line.textContent = text || '';
    line.hidden = !text;
  };
  var failure = function (response) {
    var error = new Error(response.status + ' ' + response.statusText);
    if (response.status === 503) {
      var retry = response.headers.get('retry-after');
      error.message = '503: the store is unavailable' + (retry ? '; retry in ' + retry + ' s' : '') + '.';
    }
    return error;
  };
  var load = function (src) {
    return fetch(src, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) { if (!response.ok) throw failure(response); return response.json(); });
  };
  // Empty: no number other than 0 to draw (no activity in the range, no request timed).
  var isEmpty = function (config) {
    return !config.data.datasets.some(function (d) {
      return d.data.some(function (v) { return typeof v === 'number' && v !== 0 && isFinite(v); });
    });
  };
  var retryButton = function (holder, again) {
    if (holder.querySelector('button.retry')) return;
    var button = document.createElement('button');
    button.type = 'button'; button.className = 'retry'; button.textContent = 'Retry';
    button.addEventListener('click', function () { button.remove(); again(); });
    holder.querySelector('.state').after(button);
  };
  var draw = function (canvas) {
    var holder = canvas.closest('figure') || canvas.parentNode;
    var build = builders[canvas.getAttribute('data-chart')];
    setState(holder, 'loading', 'Loading…');
    canvas.removeAttribute('data-error');
    return load(canvas.getAttribute('data-src'))
      .then(function (data) {
        var config = build(data, canvas);
        var old = Chart.getChart(canvas);
        if (old) old.destroy();
        if (isEmpty(config)) {
          setState(holder, 'empty', canvas.getAttribute('data-empty-text') || 'No data in this range.');
        } else {
          config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options);
          new Chart(canvas, config);
          var marked = config.data.datasets.some(function (d) { return d.inProgress && d.inProgress.some(Boolean); });
          setState(holder, 'ready', marked && !canvas.hasAttribute('data-quiet') ? 'Dashed or hatched: still in progress, not final.' : '');
        }
        canvas.setAttribute('data-ready', 'true');
      })
      .catch(function (error) {
        canvas.setAttribute('data-error', String(error && error.message || error));
        setState(holder, 'error', 'Could not load this chart: ' + (error && error.message || error));
        retryButton(holder, function () { draw(canvas); });
      });
  };
  Array.prototype.forEach.call(document.querySelectorAll('canvas[data-chart]'), draw);

  // ── The overview's comparison with the previous period ──
  var number = function (v, digits) {
    return v === null || v === undefined ? '–' : Number(v).toLocaleString('en', { maximumFractionDigits: digits === undefined ? 1 : digits });
  };
  var change = function (now, then) {
    if (now === null || then === null || then === 0) return '';
    var pct = Math.round(((now - then) / then) * 1000) / 10;
    return (pct > 0 ? '+' : '') + pct + '%';
  };
  var card = function (title, now, then, unit, digits) {
    var box = document.createElement('div');
    box.className = 'card';
    [['h4', title], ['strong', number(now, digits) + (unit ? ' ' + unit : '')],
     ['span', 'previous ' + number(then, digits) + (unit ? ' ' + unit : '')], ['em', change(now, then)]].forEach(function (part) {
      var el = document.createElement(part[0]);
      el.textContent = part[1];
      box.appendChild(el);
    });
    box.setAttribute('data-current', now === null ? '' : String(now));
    box.setAttribute('data-previous', then === null ? '' : String(then));
    return box;
  };
  var compare = function (holder) {
    var cards = holder.querySelector('.cards');
    setState(holder, 'loading', 'Loading…');
    return load(holder.getAttribute('data-src')).then(function (c) {
      cards.textContent = '';
      var heading = holder.querySelector('.range');
      heading.textContent = c.current.from + ' – ' + c.current.to + ' against ' + c.previous.from + ' – ' + c.previous.to +
        (c.current.inProgress ? ' (the range holds today: still in progress, not final)' : '');
      cards.appendChild(card('active users', c.activeUsers.current, c.activeUsers.previous, '', 0));
      c.metricas.forEach(function (m) {
        var events = holder.getAttribute('data-events-' + m.name) || 'events', unit = holder.getAttribute('data-unit-' + m.name) || '';
        if (m.averaged) {
          cards.appendChild(card(m.name + ': ' + events, m.current.count, m.previous.count, '', 0));
          cards.appendChild(card(m.name + ': average', m.current.average, m.previous.average, unit));
        } else {
          cards.appendChild(card(m.name, m.current.total, m.previous.total, ''));
        }
      });
      holder.setAttribute('data-ready', 'true');
      setState(holder, 'ready', '');
    }).catch(function (error) {
      holder.setAttribute('data-error', String(error && error.message || error));
      setState(holder, 'error', 'Could not load the comparison: ' + (error && error.message || error));
      retryButton(holder, function () { compare(holder); });
    });
  };
  Array.prototype.forEach.call(document.querySelectorAll('[data-comparison]'), compare);
})();
`;
