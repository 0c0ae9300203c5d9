import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from '@switchyard/core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backends, contextIds, startDemo } from '../support/start-demo.js';
import { chromiumPath, installPackages } from '../support/system-packages.js';
import { openWatchedPage, type WatchedPage } from '../support/watched-page.js';

const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
/** How a page's chat connects: the page offers both. */
type Transport = 'sse' | 'websocket';

/** The longest any single wait for the page may take; a bound, not a speed requirement. */
const WAIT_MS = 20_000;

let browser: Browser;

beforeAll(async () => {
  // The demo's global setup installs chromium when missing; this covers running the file on its own.
  if (!existsSync(chromiumPath)) installPackages(['chromium']);
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  await mkdir(screenshotDir, { recursive: true });
}, 5 * 60_000);

afterAll(() => browser?.close());

describe.each(backends)('the page under %s', (backend) => {
  let server: RunningServer;

  /** Pages opened by the running test, with what went wrong in each (page errors, failed loads, CSP refusals). */
  const opened: WatchedPage[] = [];

  /** A page in its own browser context: two pages must not share connections, as two visitors would not. */
  async function openPage(): Promise<Page> {
    return openWatchedPage(browser, server.url, opened, WAIT_MS);
  }

  async function shoot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: `${screenshotDir}${backend}-${name}.png`, fullPage: true });
  }

  beforeAll(async () => {
    server = await startDemo(backend);
  });

  afterEach(async ({ task }) => {
    const pages = opened.splice(0);
    // A failed test leaves a picture of each of its pages.
    if (task.result?.state === 'fail') await Promise.all(pages.map(({ page }, i) => shoot(page, `${slug(task.name)}-failed-${i + 1}`)));
    // Pages close before the server does: their streams end, so close() need not wait for them.
    await Promise.all(pages.map(({ page }) => page.context().close()));
    // A CDN reference would show up here as a CSP refusal; a missing asset as a failed load.
    expect(pages.flatMap(({ problems }) => problems)).toEqual([]);
  });

  afterAll(() => server?.close());

  it('loads and shows the backend and its workers', { timeout: 60_000 }, async () => {
    const page = await openPage();
    expect(await page.title()).toBe(`Switchyard demo (${backend})`);
    expect(await page.textContent('#backend')).toBe(backend);
    // The pool's third thread is its express lane, not a third serving thread.
    const workers = { reactor: /^one event loop/, pool: /^2 threads \+ express lane run/, cluster: /^2 processes run/, threads: /^2 threads run/ }[backend];
    await page.waitForFunction((source) => new RegExp(source).test(document.getElementById('workers')!.textContent ?? ''), workers.source, {
      timeout: WAIT_MS,
    });
    const labels = {
      reactor: [/^the event loop$/],
      pool: [/^thread 1$/, /^thread 2$/, /^express lane \(thread 3\)$/],
      cluster: [/^process 1 \(pid \d+\)$/, /^process 2 \(pid \d+\)$/],
      threads: [/^thread 1$/, /^thread 2$/],
    }[backend];
    await page.waitForFunction((count) => Chart.getChart('load-chart')!.data.labels!.length === count, labels.length, { timeout: WAIT_MS });
    const shown = await page.evaluate(() => Chart.getChart('load-chart')!.data.labels as string[]);
    expect(shown).toHaveLength(labels.length);
    labels.forEach((label, i) => {
      expect(shown[i]).toMatch(label);
    });
    expect(await page.locator('#routes a[href="/hello"]').count()).toBe(1);
    await shoot(page, 'page');
  });

  /** Connects a page's chat over `transport` (the page starts on server-sent events) and waits until it says so. */
  async function connectChat(page: Page, transport: Transport): Promise<void> {
    await page.check(`#chat-transport-${transport}`);
    await page.locator(`#chat-status[data-state="ready"][data-transport="${transport}"]`).waitFor();
  }

  async function say(page: Page, name: string, text: string): Promise<void> {
    await page.fill('#chat-name', name);
    await page.fill('#chat-text', text);
    await page.click('#chat-form button[type="submit"]');
  }

  it.each([
    ['sse', 'sse'],
    ['websocket', 'websocket'],
    ['websocket', 'sse'],
    ['sse', 'websocket'],
  ] as const)('shows a chat message sent from a page on %s once in a page on %s', { timeout: 60_000 }, async (from, to) => {
    const [sender, receiver] = await Promise.all([openPage(), openPage()]);
    // Both connections must be open before the message goes, or the receiver could miss it.
    await Promise.all([connectChat(sender, from), connectChat(receiver, to)]);
    const text = `hello from ${backend} over ${from} <b>not bold</b> ${Date.now()}`;
    await say(sender, 'Ada', text);

    const received = receiver.locator('#chat-log li', { hasText: text });
    await received.waitFor();
    expect(await received.locator('strong').textContent()).toBe('Ada');
    // Text arrives as text: the markup in it is shown, not rendered.
    expect(await received.locator('b').count()).toBe(0);
    await sender.locator('#chat-log li', { hasText: text }).waitFor();
    expect(await sender.inputValue('#chat-text')).toBe('');

    // A reply the other way: once both pages show it, a second copy of the first message would have come before it.
    const reply = `and back over ${to} ${Date.now()}`;
    await say(receiver, 'Grace', reply);
    await Promise.all([sender, receiver].map((page) => page.locator('#chat-log li', { hasText: reply }).waitFor()));
    for (const page of [sender, receiver]) {
      expect(await page.locator('#chat-log li', { hasText: text }).count()).toBe(1);
      expect(await page.locator('#chat-log li', { hasText: reply }).count()).toBe(1);
    }
    await shoot(receiver, `chat-${from}-to-${to}`);
  });

  it('updates the stats charts as requests come in', { timeout: 60_000 }, async () => {
    const page = await openPage();
    // The first stats event has arrived once the counter shows a number.
    await page.waitForFunction(() => /^\d+$/.test(document.getElementById('requests')!.textContent ?? ''), undefined, { timeout: WAIT_MS });
    const before = Number(await page.textContent('#requests'));
    const points = await chartPoints(page);

    await page.click('#traffic');
    await page.locator('#traffic:enabled').waitFor();
    // Every one of the 200 requests shows up in the streamed counts, and the chart gains points.
    await page.waitForFunction((target) => Number(document.getElementById('requests')!.textContent) >= target, before + 200, { timeout: WAIT_MS });
    await page.waitForFunction((count) => Chart.getChart('throughput-chart')!.data.labels!.length > count, points, { timeout: WAIT_MS });
    const rates = await page.evaluate(() => Chart.getChart('throughput-chart')!.data.datasets[0]!.data as number[]);
    expect(Math.max(...rates)).toBeGreaterThan(0);
    // One load bar per worker.
    await page.waitForFunction((count) => Chart.getChart('load-chart')!.data.labels!.length === count, contextIds(backend).length, { timeout: WAIT_MS });
    await shoot(page, 'stats');
  });
});

/** A test name as a file name. */
function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** How many points the requests/s chart holds. */
function chartPoints(page: Page): Promise<number> {
  return page.evaluate(() => Chart.getChart('throughput-chart')!.data.labels!.length);
}

// Chart.js is a global of the page, not of this file.
declare const Chart: typeof import('chart.js').Chart;
