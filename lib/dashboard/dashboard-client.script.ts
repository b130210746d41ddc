/**
 * The dashboard's browser script, served at `<dashboard>/assets/dashboard.js`: for
 * each `canvas[data-chart]` it fetches `data-src` (a JSON endpoint beside the page),
 * draws it with Chart.js (served by the package, global `Chart`) without animation,
 * then sets `data-ready="true"` (or `data-error`) so tests and scripts know it is drawn.
 * Kept a plain string (no build step), so it works alike from `lib/` and `dist/`.
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
  // One colour per series name throughout (DAU is the same blue on every page); axis values get
  // theirs from their rank in the axis' pie, so a pie and its series chart agree value by value.
  var COLOURS = { DAU: '#2166ac', WAU: '#4393c3', MAU: '#92c5de', 'DAU / MAU': '#b2182b',
    'new': '#1b9e77', returning: '#7570b3', resurrecting: '#e6ab02', dormant: '#d95f02' };
  var PALETTE = ['#2166ac', '#b2182b', '#1b9e77', '#7570b3', '#e6ab02', '#d95f02', '#66a61e', '#a6761d', '#e7298a', '#666666'];
  var paletteColour = function (i) { return i < PALETTE.length ? PALETTE[i] : 'hsl(' + Math.round((i * 137.508) % 360) + ',55%,45%)'; };
  var coloured = function (dataset, i, colour) {
    colour = colour || COLOURS[dataset.label] || paletteColour(i);
    return Object.assign({ borderColor: colour, backgroundColor: colour }, dataset);
  };
  var axisColours = function (axis) {
    var byLabel = {};
    axis.pie.slice().sort(function (a, b) { return b.total - a.total || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0); })
      .forEach(function (slice, i) { byLabel[slice.label] = paletteColour(i); });
    return function (value) { return byLabel[value] || '#999999'; };
  };
  var line = function (labels, datasets, extra) {
    return { type: 'line', data: { labels: labels, datasets: datasets.map(function (d, i) { return d.borderColor ? d : coloured(d, i); }) },
      options: Object.assign({ scales: { y: { beginAtZero: true } } }, extra || {}) };
  };
  var builders = {
    'active-users': function (days) {
      return line(days.map(function (d) { return d.date; }), [
        { label: 'DAU', data: days.map(function (d) { return d.dau; }) },
        { label: 'WAU', data: days.map(function (d) { return d.wau; }) },
        { label: 'MAU', data: days.map(function (d) { return d.mau; }) }
      ]);
    },
    'stickiness': function (days) {
      return line(days.map(function (d) { return d.date; }), [
        { label: 'DAU / MAU', data: days.map(function (d) { return d.stickiness; }) }
      ], { scales: { y: { beginAtZero: true, max: 1 } } });
    },
    'timeline': function (points) {
      // Averaged metricas: events and averages, not a sum (of milliseconds, say).
      var datasets = points.length && 'count' in points[0]
        ? [{ label: 'events', data: points.map(function (p) { return p.count; }) },
           { label: 'average', data: points.map(function (p) { return p.average; }), yAxisID: 'y1' }]
        : [{ label: 'total', data: points.map(function (p) { return p.value; }) }];
      return line(points.map(function (p) { return label(p.t); }), datasets,
        { scales: { y: { beginAtZero: true }, y1: { beginAtZero: true, position: 'right', display: datasets.length > 1 } } });
    },
    'percentiles': function (points) {
      return line(points.map(function (p) { return label(p.t); }), ['p50', 'p95', 'p99'].map(function (q) {
        return { label: q + ' ms', data: points.map(function (p) { return p[q]; }), spanGaps: true };
      }));
    },
    'axis-pie': function (axis) {
      var colour = axisColours(axis);
      return { type: 'pie', data: { labels: axis.pie.map(function (s) { return s.label; }),
        datasets: [{ data: axis.pie.map(function (s) { return s.total; }), backgroundColor: axis.pie.map(function (s) { return colour(s.label); }) }] }, options: {} };
    },
    'axis-series': function (axis) {
      var labels = axis.series.length ? axis.series[0].points.map(function (p) { return label(p.t); }) : [];
      var colour = axisColours(axis);
      return line(labels, axis.series.map(function (s, i) {
        return coloured({ label: s.label, data: s.points.map(function (p) { return p.value; }) }, i, colour(s.label));
      }));
    },
    'response-times': function (rows) {
      return { type: 'bar', data: { labels: rows.map(function (r) { return r.view; }),
        datasets: [coloured({ label: 'average ms', data: rows.map(function (r) { return r.average; }) }, 0),
          coloured({ label: 'p95 ms', data: rows.map(function (r) { return r.p95; }) }, 1)] },
        options: { indexAxis: 'y', scales: { x: { beginAtZero: true } } } };
    }
  };
  // ── Analytics page (tables keyed by column, local dates) ──
  var column = function (rows, name) { return rows.map(function (r) { return r[name]; }); };
  builders['analytics-active-users'] = function (rows) {
    return line(column(rows, 'date'), ['dau', 'wau', 'mau'].map(function (name, i) {
      return coloured({ label: name.toUpperCase(), data: column(rows, name) }, i);
    }));
  };
  builders['analytics-stickiness-ratio'] = function (rows) {
    return line(column(rows, 'date'), [coloured({ label: 'DAU / MAU', data: column(rows, 'stickiness') }, 0)],
      { scales: { y: { beginAtZero: true, max: 1 } } });
  };
  builders['analytics-lifecycle'] = function (rows) {
    // Dormant users drawn below zero, as PostHog draws them.
    return { type: 'bar', data: { labels: column(rows, 'start'), datasets: ['new', 'returning', 'resurrecting', 'dormant'].map(function (name, i) {
      return coloured({ label: name, data: rows.map(function (r) { return name === 'dormant' ? -r[name] : r[name]; }) }, i);
    }) }, options: { scales: { x: { stacked: true }, y: { stacked: true } } } };
  };
  builders['analytics-stickiness'] = function (rows) {
    var days = rows.length ? Object.keys(rows[0]).filter(function (k) { return /^\\d+d$/.test(k); }) : [];
    return { type: 'bar', data: { labels: days, datasets: rows.map(function (r, i) {
      return coloured({ label: r.start, data: days.map(function (d) { return r[d]; }) }, i);
    }) }, options: { scales: { y: { beginAtZero: true } } } };
  };
  // ── end of the Analytics page ──
  var draw = function (canvas) {
    var build = builders[canvas.getAttribute('data-chart')];
    return fetch(canvas.getAttribute('data-src'), { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + ' ' + response.statusText);
        return response.json();
      })
      .then(function (data) {
        var config = build(data);
        config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options);
        new Chart(canvas, config);
        canvas.setAttribute('data-ready', 'true');
      })
      .catch(function (error) {
        canvas.setAttribute('data-error', String(error && error.message || error));
        canvas.insertAdjacentText('afterend', 'Could not draw this chart: ' + error);
      });
  };
  Array.prototype.forEach.call(document.querySelectorAll('canvas[data-chart]'), draw);
})();
`;
