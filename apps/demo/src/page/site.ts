import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FastResponse } from '@switchyard/core';
import { HttpError } from '../http-error.js';
import type { Route } from '../route.js';
import { workloadRoutes } from '../routes/index.js';
import { loadAssets, publicDir, type Asset } from './assets.js';
import { fillTemplate, renderCatalogue, escapeHtml } from './html.js';
import { statsStream } from './stats-stream.js';

/** Read once per context in `setup`, then served from memory. */
let assets = new Map<string, Asset>();
let page = new Uint8Array();

const ONE_YEAR = 'public, max-age=31536000, immutable';
const security = { 'x-content-type-options': 'nosniff' };
// Everything comes from this server: a CDN reference would be refused by the browser.
const policy = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** `/`: the page, with the backend and the route catalogue filled in. */
export const home: Route = {
  path: '/',
  methods: ['GET'],
  example: '/',
  summary: 'This page.',
  async setup(ctx) {
    assets = await loadAssets();
    const url = (name: string) => escapeHtml(`/assets/${name}?v=${assets.get(name)!.hash}`);
    const template = await readFile(join(publicDir, 'index.html'), 'utf8');
    const html = fillTemplate(template, {
      backend: escapeHtml(ctx.backend),
      catalogue: renderCatalogue([...workloadRoutes, statsStream]),
      css: url('page.css'),
      chartjs: url('chart.js'),
      js: url('page.js'),
    });
    page = new TextEncoder().encode(html);
  },
  handle() {
    return new FastResponse(page, {
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'content-security-policy': policy, ...security },
    });
  },
};

/**
 * `/assets/<name>`: the page's script, styles and Chart.js. A URL carrying
 * the current hash (`?v=`), as the page links them, may be cached for good;
 * any other is revalidated with its ETag.
 */
export const assetRoute: Route = {
  path: '/assets/',
  methods: ['GET'],
  example: '/assets/chart.js',
  summary: 'The page’s script, styles and Chart.js, served from memory.',
  handle(request, _ctx, url) {
    const asset = assets.get(url.pathname.slice('/assets/'.length));
    if (!asset) throw new HttpError(404, `No asset ${url.pathname}`);
    const etag = `"${asset.hash}"`;
    const cacheControl = url.searchParams.get('v') === asset.hash ? ONE_YEAR : 'no-cache';
    if (request.headers.get('if-none-match') === etag) {
      return new FastResponse(null, { status: 304, headers: { etag, 'cache-control': cacheControl } });
    }
    return new FastResponse(asset.body, { headers: { 'content-type': asset.type, etag, 'cache-control': cacheControl, ...security } });
  },
};
