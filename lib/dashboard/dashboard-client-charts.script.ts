/**
 * The chart builders of the dashboard's browser script (see `dashboard-client.script.ts`,
 * which wraps them): each turns one JSON endpoint's answer into a Chart.js config.
 * Plain browser JavaScript in a string (no build step). Shared conventions:
 * - a row or point with `inProgress: true` is drawn dashed (lines) or hatched (bars),
 *   so a period that is not over does not read as final;
 * - axes that count (users, events, requests) have whole ticks (`precision: 0`);
 * - every bar of a bar chart keeps its label (`autoSkip: false`);
 * - values from requests (route names, axis values) only reach Chart.js, which draws
 *   them on the canvas, never the DOM.
 * @internal
 */
export const DASHBOARD_CHART_BUILDERS = `
  // One colour per series name throughout (DAU is the same blue on every page); axis values get
  // theirs from their rank in the axis' pie, so a pie and its series chart agree value by value.
  var COLOURS = { DAU: '#2166ac', WAU: '#4393c3', MAU: '#92c5de', 'DAU / MAU': '#b2182b',
    'new': '#1b9e77', returning: '#7570b3', resurrecting: '#e6ab02', dormant: '#d95f02' };
  var PALETTE = ['#2166ac', '#b2182b', '#1b9e77', '#7570b3', '#e6ab02', '#d95f02', '#66a61e', '#a6761d', '#e7298a', '#666666'];
  var NONE_COLOUR = '#bdbdbd', OTHERS_COLOUR = '#8c8c8c';
  var paletteColour = function (i) { return i < PALETTE.length ? PALETTE[i] : 'hsl(' + Math.round((i * 137.508) % 360) + ',55%,45%)'; };
  var coloured = function (dataset, i, colour) {
    colour = colour || COLOURS[dataset.label] || paletteColour(i);
    return Object.assign({ borderColor: colour, backgroundColor: colour }, dataset);
  };
  // Diagonal hatching over a pale fill: a bar whose period is still in progress.
  var hatch = function (colour) {
    var tile = document.createElement('canvas');
    tile.width = tile.height = 8;
    var c = tile.getContext('2d');
    c.fillStyle = colour; c.globalAlpha = 0.25; c.fillRect(0, 0, 8, 8);
    c.globalAlpha = 1; c.strokeStyle = colour; c.lineWidth = 2;
    c.beginPath(); c.moveTo(0, 8); c.lineTo(8, 0); c.moveTo(-2, 2); c.lineTo(2, -2); c.moveTo(6, 10); c.lineTo(10, 6); c.stroke();
    return c.createPattern(tile, 'repeat');
  };
  // Marks the in-progress points of a line dataset (dashed segment into them, hollow point)
  // or the in-progress bars of a bar dataset (hatched). Keeps the flags on the dataset for readers.
  var markLine = function (dataset, flags) {
    dataset.inProgress = flags;
    if (!flags.some(Boolean)) return dataset;
    var colour = dataset.borderColor;
    dataset.segment = { borderDash: function (ctx) { return flags[ctx.p1DataIndex] ? [6, 4] : undefined; } };
    dataset.pointBackgroundColor = flags.map(function (f) { return f ? '#ffffff' : colour; });
    return dataset;
  };
  var markBars = function (dataset, flags) {
    dataset.inProgress = flags;
    if (!flags.some(Boolean)) return dataset;
    var colour = dataset.backgroundColor, pattern = hatch(colour);
    dataset.backgroundColor = flags.map(function (f) { return f ? pattern : colour; });
    dataset.borderWidth = flags.map(function (f) { return f ? 1 : 0; });
    return dataset;
  };
  var flagsOf = function (rows) { return rows.map(function (r) { return r.inProgress === true; }); };
  var counts = { beginAtZero: true, ticks: { precision: 0 } };
  // A sum of values (euros, say) may be fractional; when every value is whole, so are its ticks.
  var wholeIf = function (values) {
    return values.every(function (v) { return v === null || Number.isInteger(v); }) ? counts : { beginAtZero: true };
  };
  // Long series get small points, so the line (and its dashed end) reads, not a row of dots.
  var line = function (labels, datasets, extra) {
    return { type: 'line', data: { labels: labels, datasets: datasets.map(function (d, i) { return d.borderColor ? d : coloured(d, i); }) },
      options: Object.assign({ scales: { y: counts }, elements: { point: { radius: labels.length > 45 ? 1.5 : 3 } } }, extra || {}) };
  };
  var axisColours = function (axis) {
    var byLabel = {};
    axis.pie.filter(function (s) { return !s.none; }).sort(function (a, b) { return b.total - a.total || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0); })
      .forEach(function (slice, i) { byLabel[slice.label] = paletteColour(i); });
    return function (entry) { return entry.none ? NONE_COLOUR : entry.others ? OTHERS_COLOUR : byLabel[entry.label] || OTHERS_COLOUR; };
  };
  var ratio = { scales: { y: { beginAtZero: true, max: 1 } } };
  var builders = {
    'active-users': function (days) {
      return line(days.map(function (d) { return d.date; }), ['dau', 'wau', 'mau'].map(function (name, i) {
        return markLine(coloured({ label: name.toUpperCase(), data: days.map(function (d) { return d[name]; }) }, i), flagsOf(days));
      }));
    },
    'stickiness': function (days) {
      return line(days.map(function (d) { return d.date; }), [
        markLine(coloured({ label: 'DAU / MAU', data: days.map(function (d) { return d.stickiness; }) }, 0), flagsOf(days))
      ], ratio);
    },
    'timeline': function (points, canvas) {
      // Averaged metricas: events (requests) and averages (ms), never a sum of milliseconds.
      var events = canvas.getAttribute('data-events') || 'events', unit = canvas.getAttribute('data-unit');
      var averaged = points.length && 'count' in points[0];
      var datasets = averaged
        ? [coloured({ label: events, data: points.map(function (p) { return p.count; }) }, 0),
           coloured({ label: unit ? 'average ' + unit : 'average', data: points.map(function (p) { return p.average; }), yAxisID: 'y1', spanGaps: true }, 1)]
        : [coloured({ label: 'total', data: points.map(function (p) { return p.value; }) }, 0)];
      datasets.forEach(function (d) { markLine(d, flagsOf(points)); });
      return line(points.map(function (p) { return label(p.t); }), datasets,
        { scales: { y: averaged ? counts : wholeIf(datasets[0].data), y1: { beginAtZero: true, position: 'right', display: datasets.length > 1, grid: { drawOnChartArea: false } } } });
    },
    'sparkline': function (points) {
      // One route's p95 over the range, drawn small in its table row: no axes, no legend.
      var data = points.map(function (p) { return p.p95; });
      // A bucket alone between empty ones has no line to draw: it gets a dot.
      var lone = data.map(function (v, i) { return v !== null && (i === 0 || data[i - 1] === null) && (i === data.length - 1 || data[i + 1] === null) ? 2 : 0; });
      var config = line(points.map(function (p) { return label(p.t); }), [markLine(coloured({ label: 'p95 ms',
        data: data, spanGaps: true, pointRadius: lone, borderWidth: 1.5 }, 1), flagsOf(points))],
        { plugins: { legend: { display: false } }, scales: { x: { display: false }, y: { display: false, beginAtZero: true } } });
      return config;
    },
    'axis-pie': function (axis) {
      var colour = axisColours(axis);
      return { type: 'pie', data: { labels: axis.pie.map(function (s) { return s.label; }),
        datasets: [{ data: axis.pie.map(function (s) { return s.total; }), backgroundColor: axis.pie.map(colour) }] }, options: {} };
    },
    'axis-series': function (axis) {
      var labels = axis.series.length ? axis.series[0].points.map(function (p) { return label(p.t); }) : [];
      var colour = axisColours(axis);
      var config = line(labels, axis.series.map(function (s, i) {
        var d = coloured({ label: s.label, data: s.points.map(function (p) { return p.value; }) }, i, colour(s));
        if (s.none || s.others) d.borderDash = [2, 2];
        return markLine(d, flagsOf(s.points));
      }));
      config.options.scales.y = wholeIf([].concat.apply([], config.data.datasets.map(function (d) { return d.data; })));
      return config;
    },
    'response-times': function (rows, canvas) {
      // Every route keeps a readable label: the chart grows with the routes it lists.
      canvas.parentNode.style.height = Math.max(260, rows.length * 26 + 70) + 'px';
      return { type: 'bar', data: { labels: rows.map(function (r) { return r.view; }),
        datasets: [coloured({ label: 'average ms', data: rows.map(function (r) { return r.average; }) }, 0),
          coloured({ label: 'p95 ms', data: rows.map(function (r) { return r.p95; }) }, 1)] },
        options: { indexAxis: 'y', scales: { x: { beginAtZero: true }, y: { ticks: { autoSkip: false } } } } };
    }
  };
  // ── Analytics page (tables keyed by column, local dates) ──
  var column = function (rows, name) { return rows.map(function (r) { return r[name]; }); };
  builders['analytics-active-users'] = function (rows) {
    return line(column(rows, 'date'), ['dau', 'wau', 'mau'].map(function (name, i) {
      return markLine(coloured({ label: name.toUpperCase(), data: column(rows, name) }, i), flagsOf(rows));
    }));
  };
  builders['analytics-stickiness-ratio'] = function (rows) {
    return line(column(rows, 'date'), [markLine(coloured({ label: 'DAU / MAU', data: column(rows, 'stickiness') }, 0), flagsOf(rows))], ratio);
  };
  builders['analytics-lifecycle'] = function (rows) {
    // Dormant users drawn below zero, as PostHog draws them; the period holding now hatched.
    return { type: 'bar', data: { labels: column(rows, 'start'), datasets: ['new', 'returning', 'resurrecting', 'dormant'].map(function (name, i) {
      return markBars(coloured({ label: name, data: rows.map(function (r) { return name === 'dormant' ? -r[name] : r[name]; }) }, i), flagsOf(rows));
    }) }, options: { scales: { x: { stacked: true, ticks: { autoSkip: false } }, y: { stacked: true, ticks: { precision: 0 } } } } };
  };
  builders['analytics-stickiness'] = function (rows) {
    var days = rows.length ? Object.keys(rows[0]).filter(function (k) { return /^\\d+d$/.test(k); }) : [];
    return { type: 'bar', data: { labels: days, datasets: rows.map(function (r, i) {
      var d = coloured({ label: r.inProgress ? r.start + ' (in progress)' : r.start, data: days.map(function (k) { return r[k]; }) }, i);
      return markBars(d, days.map(function () { return r.inProgress === true; }));
    }) }, options: { scales: { x: { ticks: { autoSkip: false } }, y: counts } } };
  };
`;
