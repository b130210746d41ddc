import { dashboardUrl, dataLinks, escapeHtml, page } from './dashboard-html.js';

/** One customer (tenant) of the Customers table: its distinct active users this calendar month and last. @internal */
export interface CustomerRow {
  tenant: string;
  thisMonth: number;
  lastMonth: number;
}

/** The Customers table's columns, as `?sort=` names them. @internal */
export const CUSTOMER_SORTS = ['tenant', 'thisMonth', 'lastMonth'] as const;
/** A column of the Customers table. @internal */
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

/** What the Customers page shows. @internal */
export interface CustomersPageModel {
  base: string;
  timeZone: string;
  /** This month's and last month's labels, `2026-12`. */
  thisMonth: string;
  lastMonth: string;
  rows: CustomerRow[];
  sort: CustomerSort;
  order: 'asc' | 'desc';
  /** The idle seats section (users with no activity this month and last), when the reports can list them. */
  idle?: { since: string; users: string[]; more: boolean };
  /** `?tenant=`: its row is marked, and the idle seats are its own. */
  tenant?: string;
}

const HEADERS: Record<CustomerSort, (model: CustomersPageModel) => string> = {
  tenant: () => 'tenant',
  thisMonth: (model) => `active ${model.thisMonth}`,
  lastMonth: (model) => `active ${model.lastMonth}`,
};

/**
 * The Customers page: every tenant's distinct active users this calendar month and
 * last (the billing table), sortable by any column (links, so it needs no script), each
 * tenant linking to the dashboard scoped to it, with its JSON and CSV. @internal
 */
export function renderCustomers(model: CustomersPageModel): string {
  const { base, sort, order, tenant } = model;
  const api = dashboardUrl(base, 'api/customers', { sort, order });
  const head = CUSTOMER_SORTS.map((column) => {
    // The sorted column's link flips its order; another column starts with its natural one.
    const next = column === sort ? (order === 'asc' ? 'desc' : 'asc') : column === 'tenant' ? 'asc' : 'desc';
    const mark = column === sort ? (order === 'asc' ? ' ▲' : ' ▼') : '';
    const href = dashboardUrl(base, 'customers', { sort: column, order: next, tenant });
    return `<th${column === sort ? ` aria-sort="${order === 'asc' ? 'ascending' : 'descending'}"` : ''}><a href="${escapeHtml(href)}" data-sort="${column}">${escapeHtml(HEADERS[column](model))}${mark}</a></th>`;
  }).join('');
  const body = model.rows
    .map(
      (row) =>
        `<tr data-tenant="${escapeHtml(row.tenant)}"${row.tenant === tenant ? ' class="picked"' : ''}><td><a href="${escapeHtml(dashboardUrl(base, '', { tenant: row.tenant }))}">${escapeHtml(row.tenant)}</a></td>` +
        `<td>${escapeHtml(row.thisMonth)}</td><td>${escapeHtml(row.lastMonth)}</td></tr>`,
    )
    .join('\n');
  const table =
    model.rows.length === 0
      ? '<p class="state">No tenant was active this month or last.</p>'
      : `<table class="customers"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  const idle = model.idle
    ? `<h2>Idle seats</h2>
<p><small class="definition">Registered users${tenant === undefined ? '' : ` of ${escapeHtml(tenant)}`} with no activity since ${escapeHtml(model.idle.since)}${model.idle.more ? ` (the first ${model.idle.users.length})` : ''}.</small></p>
${model.idle.users.length === 0 ? '<p class="state">No idle seat.</p>' : `<ul class="idle-seats">${model.idle.users.map((user) => `<li>${escapeHtml(user)}</li>`).join('')}</ul>`}`
    : '';
  const content = `<p>Distinct active users per tenant, calendar months in ${escapeHtml(model.timeZone)}; ${escapeHtml(model.thisMonth)} is still in progress. ${dataLinks(api)}</p>
${table}
${idle}`;
  return page(base, 'Customers', content, model.timeZone, tenant);
}
