import type { Browser, Page } from 'playwright-core';

/** A page a browser test opened, with what went wrong in it (page errors, failed loads, CSP refusals). */
export interface WatchedPage {
  page: Page;
  problems: string[];
}

/**
 * Opens `url` in a browser context of its own (two pages must not share
 * connections, as two visitors would not), noting page errors and console
 * errors in `opened` for the test to assert on.
 */
export async function openWatchedPage(browser: Browser, url: string, opened: WatchedPage[], waitMs: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  context.setDefaultTimeout(waitMs);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  opened.push({ page, problems });
  await page.goto(url);
  return page;
}
