/**
 * The compare page in a real browser, against the real compare server and
 * the demo under every backend: a column per backend, a run that fills
 * them, and a verdict that names the backend its own figures favour.
 * Runs are short (COMPARE_DURATION); nothing asserts a speed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reusePortMissing } from '@switchyard/threads';
import { chromiumPath, installPackages } from '../support/system-packages.js';
import { openWatchedPage, type WatchedPage } from '../support/watched-page.js';

const demoDir = fileURLToPath(new URL('../../', import.meta.url));
const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
/** The longest a page wait may take; a run of every backend takes seconds, this is a bound, not a speed. */
const RUN_MS = 120_000;
/** The backends the compare mode starts, in its order: every installed backend this Node runs (threads from Node 22.12). */
const backends = reusePortMissing() ? (['reactor', 'pool', 'cluster'] as const) : (['reactor', 'pool', 'cluster', 'threads'] as const);
const WAIT_MS = 20_000;

/** Whether `port` can be listened on now. */
function free(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port with the next one per backend free too, for the page and its backends. */
async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const ports = Array.from({ length: backends.length + 1 }, (_, i) => base + i);
    if ((await Promise.all(ports.map(free))).every(Boolean)) return base;
  }
  throw new Error(`no ${backends.length + 1} consecutive free ports`);
}

/** Starts the compare server as `pnpm compare` does, and reads the URL it prints. */
async function startCompare(port: number, out: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['dist/compare/main.js'], {
    cwd: demoDir,
    env: { ...process.env, PORT: String(port), WEB_CONCURRENCY: '2', COMPARE_DURATION: '1', COMPARE_WARMUP: '0.2', COMPARE_OUT: out },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the compare server printed no URL: ${output}`)), 30_000);
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /Switchyard compare: (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the compare server exited with ${code}: ${output}`)));
  });
  return { child, url, output: () => output };
}

/** The figures of every column, as the page holds them (`data-value`: the unrounded number). */
function columnFigures(page: Page): Promise<Record<string, Record<string, number | null>>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('.column')].map((column) => [
        column.dataset.backend!,
        Object.fromEntries(
          [...column.querySelectorAll<HTMLElement>('dd[data-figure]')].map((dd) => [
            dd.dataset.figure!,
            dd.dataset.value === undefined ? null : Number(dd.dataset.value),
          ]),
        ),
      ]),
    ),
  );
}

/** Records each column's states as they change, to show that it filled as the run went. */
function watchStates(page: Page): Promise<void> {
  return page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { seenStates: typeof seen }).seenStates = seen;
    for (const column of document.querySelectorAll<HTMLElement>('.column')) {
      seen[column.dataset.backend!] = [];
      new MutationObserver(() => {
        const list = seen[column.dataset.backend!]!;
        if (list.at(-1) !== column.dataset.state) list.push(column.dataset.state!);
      }).observe(column, { attributes: true, attributeFilter: ['data-state'] });
    }
  });
}

const seenStates = (page: Page) => page.evaluate(() => (window as unknown as { seenStates: Record<string, string[]> }).seenStates);

describe('the compare page', () => {
  let browser: Browser;
  let compare: Awaited<ReturnType<typeof startCompare>>;
  let base: number;
  let out: string;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) installPackages(['chromium']);
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    await mkdir(screenshotDir, { recursive: true });
    out = await mkdtemp(join(tmpdir(), 'compare-test-'));
    base = await freeBase();
    compare = await startCompare(base, out);
  }, 5 * 60_000);

  afterAll(async () => {
    if (compare && compare.child.exitCode === null) {
      compare.child.kill('SIGTERM');
      await once(compare.child, 'exit');
    }
    await browser?.close();
    if (out) await rm(out, { recursive: true, force: true });
  });

  async function openPage(): Promise<Page> {
    const page = await openWatchedPage(browser, compare.url, opened, WAIT_MS);
    await page.waitForSelector('#scenarios button');
    return page;
  }

  afterEach(async ({ task }) => {
    const pages = opened.splice(0);
    if (task.result?.state === 'fail') {
      await Promise.all(pages.map(({ page }, i) => page.screenshot({ path: `${screenshotDir}compare-failed-${i + 1}.png`, fullPage: true })));
    }
    await Promise.all(pages.map(({ page }) => page.context().close()));
    // A missing asset, a CSP refusal or a script error shows up here.
    expect(pages.flatMap(({ problems }) => problems)).toEqual([]);
  });

  /** Runs `scenario` from its button and waits (bounded) for the run to end. */
  async function run(page: Page, scenario: string): Promise<void> {
    await watchStates(page);
    await page.click(`#scenarios button[data-scenario="${scenario}"]`);
    await page.waitForSelector('body[data-run-state="done"], body[data-run-state="failed"]', { timeout: RUN_MS });
    expect(await page.getAttribute('body', 'data-run-state'), compare.output()).toBe('done');
  }

  it('shows a column for every installed backend, on the ports after its own', async () => {
    const page = await openPage();
    expect(await page.title()).toBe('Switchyard compare');
    expect(compare.url).toBe(`http://127.0.0.1:${base}`);
    const columns = await page.$$eval('.column', (list) =>
      list.map((c) => [(c as HTMLElement).dataset.backend, c.querySelector('h2 a')!.getAttribute('href')]),
    );
    expect(columns).toEqual(backends.map((backend, i) => [backend, `http://127.0.0.1:${base + i + 1}`]));
    // Each column's link is the demo itself, under that backend.
    for (const [backend, href] of columns) {
      const health = (await (await fetch(`${href}/health`)).json()) as { backend: string };
      expect(health.backend).toBe(backend);
    }
    expect(await page.$$eval('#scenarios button', (list) => list.map((b) => (b as HTMLElement).dataset.scenario))).toEqual(['cpu', 'io', 'idle', 'chat']);
  });

  it('runs CPU load on each backend in turn, fills every column, and names the backend the figures favour', { timeout: RUN_MS + 30_000 }, async () => {
    const page = await openPage();
    await run(page, 'cpu');

    // Every column went from waiting to running (live figures) to done, and holds every figure.
    const states = await seenStates(page);
    const figures = await columnFigures(page);
    for (const backend of backends) {
      expect(states[backend], backend).toEqual(['waiting', 'running', 'done']);
      expect(figures[backend], backend).toEqual({
        rps: expect.any(Number),
        p50: expect.any(Number),
        p99: expect.any(Number),
        loop: expect.any(Number),
        rss: expect.any(Number),
        errors: expect.any(Number),
      });
    }

    // The verdict compares the probe's p99, lower is better: the favoured backend has the lowest on the page.
    const verdict = await page.$eval(
      '#verdict',
      (el) => ({ ...(el as HTMLElement).dataset, hidden: (el as HTMLElement).hidden }) as Record<string, string | boolean | undefined>,
    );
    expect(verdict).toMatchObject({ hidden: false, figure: 'p99', better: 'lower' });
    const best = [...backends].sort((a, b) => figures[a]!.p99! - figures[b]!.p99!)[0]!;
    expect(verdict.favoured).toBe(best);
    const sentence = await page.textContent('#verdict-sentence');
    // "… was X on reactor, Y on pool and Z on cluster." with every backend of the run, in order.
    const figuresInOrder = backends.map((backend) => `.+ on ${backend}`);
    const listed = `${figuresInOrder.slice(0, -1).join(', ')} and ${figuresInOrder.at(-1)}`;
    expect(sentence).toMatch(new RegExp(`^Under CPU load, /hello p99 was ${listed}\\. Lowest on (${backends.join('|')})\\.$`));
    expect(sentence).toContain(`Lowest on ${best}.`);
    expect(await page.locator('.column.favoured').getAttribute('data-backend')).toBe(best);

    // The engine's recommendation, and the run's full report.
    const recommendation = await page.textContent('#verdict-recommendation');
    expect(recommendation).toMatch(new RegExp(`^switchyard bench recommends ${verdict.recommended}: `));
    const report = await fetch(new URL((await page.getAttribute('#report-link', 'href'))!, compare.url));
    expect(report.status).toBe(200);
    expect(await report.text()).toContain('Switchyard compare: CPU load while /hello is probed');
    const text = await (await fetch(new URL((await page.getAttribute('#text-link', 'href'))!, compare.url))).text();
    expect(text).toContain(`recommendation: ${verdict.recommended}: `);

    await page.screenshot({ path: `${screenshotDir}compare-cpu.png`, fullPage: true });
  });

  it('runs the backends at once when asked, with the same verdict rules', { timeout: RUN_MS + 30_000 }, async () => {
    const page = await openPage();
    await page.check('#together');
    await run(page, 'chat');
    const states = await seenStates(page);
    const figures = await columnFigures(page);
    for (const backend of backends) {
      // At once, no column waits its turn.
      expect(states[backend], backend).toEqual(['waiting', 'running', 'done']);
      expect(figures[backend]!.rps, backend).toBeGreaterThan(0);
    }
    expect(await page.textContent('#status')).toMatch(/Done/);
    const verdict = await page.$eval('#verdict', (el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string | undefined>);
    expect(verdict).toMatchObject({ figure: 'rps', better: 'higher' });
    const best = [...backends].sort((a, b) => figures[b]!.rps! - figures[a]!.rps!)[0]!;
    expect(verdict.favoured).toBe(best);
    expect(await page.textContent('#verdict-sentence')).toContain(`Highest on ${best}.`);
    await page.screenshot({ path: `${screenshotDir}compare-chat-together.png`, fullPage: true });
  });
});
