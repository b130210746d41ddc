/** Escapes text for HTML content and double-quoted attributes. @internal */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** `base` + `path` + the defined query parameters, for a `src`/`href` (escape it when interpolating). @internal */
export function dashboardUrl(base: string, path: string, query: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const search = params.toString();
  return `${base}/${path}`.replace(/\/+$/, '') + (search ? `?${search}` : '');
}

/** `src` (a JSON endpoint) asking for its CSV download instead. @internal */
export function csvUrl(src: string): string {
  return `${src}${src.includes('?') ? '&' : '?'}format=csv`;
}

/** The JSON and CSV links of the endpoint `src`, beside a chart's or a table's title. @internal */
export function dataLinks(src: string): string {
  return `<a class="json" href="${escapeHtml(src)}">JSON</a> <a class="json" href="${escapeHtml(csvUrl(src))}" download>CSV</a>`;
}

/** What a chart may add: a one-line definition under its title, and `data-*` attributes its builder reads. @internal */
export interface ChartExtras {
  definition?: string;
  /** `data-<key>` attributes of the canvas (`events: 'requests'`, `unit: 'ms'`, `empty-text`). */
  data?: Record<string, string>;
}

/** The `data-*` attributes of `data`, escaped. @internal */
export function dataAttributes(data: Record<string, string> = {}): string {
  return Object.entries(data).map(([key, value]) => ` data-${escapeHtml(key)}="${escapeHtml(value)}"`).join('');
}

/**
 * A chart: a canvas the client script fills from the JSON endpoint `src`, which is also
 * linked, with its CSV; it says "Loading…" until drawn (the script then says empty or
 * what failed there). @internal
 */
export function chart(kind: string, src: string, title: string, extras: ChartExtras = {}): string {
  return (
    `<figure class="chart" data-state="loading"><figcaption>${escapeHtml(title)} ${dataLinks(src)}` +
    `${extras.definition ? `<br><small class="definition">${escapeHtml(extras.definition)}</small>` : ''}</figcaption>` +
    `<p class="state" role="status">Loading…</p>` +
    `<div class="canvas"><canvas data-chart="${escapeHtml(kind)}" data-src="${escapeHtml(src)}"${dataAttributes(extras.data)} aria-label="${escapeHtml(title)}"></canvas></div></figure>`
  );
}

/** A table whose cells are escaped. @internal */
export function table(headers: string[], rows: unknown[][]): string {
  const head = headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/**
 * The tenant picker: a GET form on the page itself, so `?tenant=` scopes what it shows;
 * when scoped, which tenant and a way back to the whole site. @internal
 */
export function tenantPicker(tenant: string | undefined): string {
  const scoped = tenant === undefined ? '' : ` <span class="tenant" data-tenant="${escapeHtml(tenant)}">tenant <strong>${escapeHtml(tenant)}</strong></span> <a href="?">all tenants</a>`;
  return (
    `<form method="get" class="tenant-picker"><label>tenant <input name="tenant" value="${escapeHtml(tenant ?? '')}" placeholder="all tenants"></label>` +
    ` <button type="submit">Scope</button>${scoped}</form>`
  );
}

/** A GET form's hidden `tenant` field, so a form on a scoped page stays scoped. @internal */
export function tenantField(tenant: string | undefined): string {
  return tenant === undefined ? '' : `<input type="hidden" name="tenant" value="${escapeHtml(tenant)}">`;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ddd}
nav a{margin-right:1rem}.chart{margin:1rem 0}.canvas{position:relative;height:260px}
.json{font-size:.8rem;margin-left:.5rem}table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:right}
td:first-child,th:first-child{text-align:left}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem}
form label{margin-right:1rem}.definition{color:#555}
.state{color:#666;font-style:italic;margin:.3rem 0}.state[hidden]{display:none}
[data-state=empty] .canvas,[data-state=error] .canvas{height:2rem}[data-state=error] .state{color:#b2182b;font-style:normal}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem;min-width:10rem}
.card h4{margin:0;font-weight:normal;color:#555}.card strong{display:block;font-size:1.3rem}.card span{color:#666;font-size:.85rem}.card em{margin-left:.4rem;font-size:.85rem}
.spark{position:relative;width:160px;height:28px}.spark .state{position:absolute;margin:0;font-size:.75rem}
tr.in-progress td{background-image:repeating-linear-gradient(135deg,rgba(0,0,0,.07) 0 4px,transparent 4px 8px)}
/* On the heat map's dark cells too: pale stripes and a dashed edge. */
td.in-progress{background-image:repeating-linear-gradient(135deg,rgba(255,255,255,.45) 0 4px,transparent 4px 8px);outline:2px dashed #444;outline-offset:-2px}
.presets a{margin-right:.6rem}.tenant-picker{display:inline;margin-left:1rem}th a{color:inherit}tr.picked td{font-weight:bold}`;

/**
 * A whole dashboard page: Chart.js and the drawing script come from the dashboard's
 * own `assets/` routes (never a CDN), under `base`, the mount path as requested. The
 * module's `timeZone` rides on `<html data-time-zone>`, so the script labels instants
 * with local dates and times.
 * @internal
 */
export function page(base: string, title: string, body: string, timeZone = 'UTC', tenant?: string): string {
  const link = (path: string, text: string) => `<a href="${escapeHtml(dashboardUrl(base, path, { tenant }))}">${text}</a>`;
  return `<!doctype html>
<html lang="en" data-time-zone="${escapeHtml(timeZone)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(tenant === undefined ? title : `${title}: ${tenant}`)}</title><style>${STYLE}</style></head>
<body><nav>${link('', 'Souvenirs')} ${link('analytics', 'Analytics')} ${link('customers', 'Customers')}
${tenantPicker(tenant)}</nav><h1>${escapeHtml(title)}</h1>
${body}
<script src="${escapeHtml(`${base}/assets/chart.umd.js`)}"></script>
<script src="${escapeHtml(`${base}/assets/dashboard.js`)}"></script>
</body></html>`;
}
