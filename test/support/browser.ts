import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it), or `SOUVENIRS_TEST_CHROMIUM`. */
const CHROMIUM = process.env.SOUVENIRS_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Headless, and quiet: without the background-networking flags Chromium calls out at every start. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts the browser the dashboard's browser tests drive. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** What a watched page did wrong: console errors and page errors, and requests that left `origin`. */
export interface PageWatch {
  readonly errors: string[];
  readonly offHost: string[];
}

/**
 * Records `page`'s console and page errors, and aborts (and records) every request
 * that does not go to `origin`, so a test can assert the page stays on the host.
 */
export async function watchPage(page: Page, origin: string): Promise<PageWatch> {
  const watch: PageWatch = { errors: [], offHost: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.errors.push(message.text());
  });
  page.on('pageerror', (error) => watch.errors.push(String(error)));
  await page.route('**/*', (route) => {
    const requested = new URL(route.request().url());
    if (requested.origin === origin) return route.continue();
    watch.offHost.push(requested.href);
    return route.abort();
  });
  return watch;
}
