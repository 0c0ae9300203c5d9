import { FastResponse } from '@switchyard/core';
import { HttpError } from '../http-error.js';
import type { Route } from '../route.js';
import { contentTypeFor } from '../static/content-type.js';
import { parseRange } from '../static/range.js';
import { filesRoot, openFile, safeName } from '../static/resolve.js';
import { fileStream } from '../static/stream.js';

const PREFIX = '/files/';

/** Read once per process or thread in setup: threads and processes inherit the environment. */
let root = filesRoot();
let accelPrefix: string | undefined;

export const files: Route = {
  path: PREFIX,
  methods: ['GET'],
  example: '/files/hello.txt',
  summary: 'Streams a file from a directory, with Range support; or hands it to nginx with X-Accel-Redirect.',
  setup() {
    root = filesRoot();
    accelPrefix = process.env.DEMO_ACCEL_REDIRECT || undefined;
  },
  async handle(request, _ctx, url) {
    const method = request.method;
    const name = safeName(root, url.pathname.slice(PREFIX.length));
    const file = name === undefined ? undefined : await openFile(root, name);
    // Refused names and missing files look the same: the client learns nothing about the disk.
    if (!file) throw new HttpError(404, `No file ${url.pathname}`);

    const type = contentTypeFor(file.name);
    if (accelPrefix !== undefined) {
      // The app decides; nginx sends the bytes (and handles Range) itself.
      await file.handle.close();
      return new FastResponse('', { headers: { 'content-type': type, 'x-accel-redirect': `${accelPrefix}${encodeURIComponent(file.name)}` } });
    }

    const headers: Record<string, string> = {
      'content-type': type,
      'accept-ranges': 'bytes',
      'last-modified': file.modified.toUTCString(),
      'x-content-type-options': 'nosniff',
    };
    // Range is defined for GET only (RFC 9110, 14.2).
    const range = method === 'GET' ? parseRange(request.headers.get('range'), file.size) : undefined;
    if (range === 'unsatisfiable') {
      await file.handle.close();
      return new FastResponse('Range Not Satisfiable\n', {
        status: 416,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'content-range': `bytes */${file.size}` },
      });
    }
    const span = range ?? { start: 0, end: file.size - 1 };
    const length = span.end + 1 - span.start;
    headers['content-length'] = String(length);
    if (range) headers['content-range'] = `bytes ${span.start}-${span.end}/${file.size}`;
    const status = range ? 206 : 200;
    if (method === 'HEAD' || length === 0) {
      await file.handle.close();
      return new FastResponse(null, { status, headers });
    }
    return new Response(fileStream(file.handle, span), { status, headers });
  },
};
