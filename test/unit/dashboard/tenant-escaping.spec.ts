import { describe, expect, it } from '@jest/globals';
import { renderCustomers } from '../../../lib/dashboard/dashboard-customers.page.js';
import { renderOverview } from '../../../lib/dashboard/dashboard-overview.page.js';
import { renderAnalytics } from '../../../lib/dashboard/dashboard-analytics.page.js';

// A tenant name from a request: markup, an attribute break-out and a formula.
const HOSTILE = `"><script>alert(1)</script><b x='`;

/** Whether `html` holds the hostile name unescaped anywhere. */
const leaks = (html: string) => html.includes('<script>alert') || html.includes(`<b x='`);

describe('tenant names on the dashboard pages are escaped everywhere', () => {
  it('the Customers table, its links and idle seats', () => {
    const html = renderCustomers({
      base: '/souvenirs',
      timeZone: 'UTC',
      thisMonth: '2026-03',
      lastMonth: '2026-02',
      rows: [{ tenant: HOSTILE, thisMonth: 1, lastMonth: 0 }],
      sort: 'thisMonth',
      order: 'desc',
      idle: { since: '2026-02-01', users: [HOSTILE], more: false },
    });
    expect(leaks(html)).toBe(false);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The tenant's link scopes the dashboard to exactly that name.
    const href = /<tr data-tenant="[^"]*"><td><a href="([^"]*)">/.exec(html)![1].replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&quot;', '"');
    expect(new URL(href, 'http://host').searchParams.get('tenant')).toBe(HOSTILE);
  });

  it('the scoped overview: picker, hidden fields, chart sources', () => {
    const html = renderOverview({
      base: '/souvenirs',
      timeZone: 'UTC',
      today: '2026-03-15',
      from: '2026-03-01',
      to: '2026-03-15',
      monthly: [],
      metricas: [],
      responseTimes: [],
      tenant: HOSTILE,
    });
    expect(leaks(html)).toBe(false);
    expect(html).toContain('<input type="hidden" name="tenant" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;b x=&#39;">');
    expect(html).toMatch(/data-src="[^"]*api\/active-users\?[^"]*tenant=/);
  });

  it('the scoped Analytics page', () => {
    const html = renderAnalytics({
      base: '/souvenirs',
      timeZone: 'UTC',
      period: 'week',
      mode: 'classic',
      retention: { headers: ['cohort', 'size'], rows: [] },
      lastCohortInProgress: false,
      tenant: HOSTILE,
    });
    expect(leaks(html)).toBe(false);
    expect(html.match(/data-src="[^"]*tenant=/g)?.length).toBe(4);
  });
});
