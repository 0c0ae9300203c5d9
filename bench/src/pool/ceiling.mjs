#!/usr/bin/env node
/**
 * What two threads of one process can do at all, next to one thread and to
 * two processes, with no HTTP and no Switchyard: the ceiling the pool's
 * throughput ratios are read against on this machine. For each kind of work
 * (a JavaScript loop; one long native call, `crypto.pbkdf2Sync`; many short
 * native calls, a `crypto.createHash` per SHA-256 of 64 bytes, as the demo's
 * `/cpu?kind=hash` does; the same digests by the one-shot `crypto.hash`
 * where Node has it, 21.7 and later), it counts
 * how many units one thread finishes in a few seconds, then two worker
 * threads side by side, then two child processes side by side.
 *
 * Native code run by several threads of one process can share locks and
 * caches that separate processes do not (OpenSSL's, for pbkdf2), so two
 * threads may reach less than two processes even with the cores to spare.
 *
 * Usage: node ceiling.mjs [--seconds 3] [--kinds js,native,hash,hash-oneshot]
 */
import { fork } from 'node:child_process';
import * as crypto from 'node:crypto';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { list, number, scriptFlags } from '../cli-kit.mjs';

const BLOCK = Buffer.alloc(32, 7);

/** One unit of each kind: a few milliseconds on a current core. */
const UNITS = {
  js: () => {
    let x = 0;
    for (let i = 0; i < 3e6; i++) x = (x * 31 + i) | 0;
    return x;
  },
  native: () => crypto.pbkdf2Sync('password', 'salt', 60_000, 32, 'sha256'),
  hash: () => {
    let digest = Buffer.alloc(32);
    for (let i = 0; i < 2_000; i++) digest = crypto.createHash('sha256').update(BLOCK).update(digest).digest();
    return digest;
  },
  'hash-oneshot': () => {
    let digest = Buffer.alloc(32);
    for (let i = 0; i < 2_000; i++) digest = crypto.hash('sha256', Buffer.concat([BLOCK, digest]), 'buffer');
    return digest;
  },
};

/** Units of `kind` finished in `ms` of wall time. */
function count(kind, ms) {
  const unit = UNITS[kind];
  const end = performance.now() + ms;
  let done = 0;
  while (performance.now() < end) {
    unit();
    done++;
  }
  return done;
}

const self = new URL(import.meta.url);

if (!isMainThread) {
  parentPort.postMessage(count(workerData.kind, workerData.ms));
} else if (process.argv[2] === '--child') {
  process.send(count(process.argv[3], Number(process.argv[4])), () => process.disconnect());
} else {
  const help = `Usage: node src/pool/ceiling.mjs [options]      (from bench/)

What two threads of one process do at all, beside one thread and two processes,
per kind of work, with no HTTP.

  --seconds S         seconds each count runs (default 3)
  --kinds LIST        some of ${Object.keys(UNITS).join(', ')} (default: all)
  -h, --help          this help`;
  const { ms, kinds } = scriptFlags(
    'ceiling',
    { seconds: { type: 'string', default: '3' }, kinds: { type: 'string', default: Object.keys(UNITS).join(',') } },
    help,
    (values) => ({ ms: number('seconds', values.seconds, { above: true }) * 1000, kinds: list('kinds', values.kinds, Object.keys(UNITS)) }),
  );
  const twice = (start) => Promise.all([start(), start()]).then(([a, b]) => a + b);
  console.log('| work | one thread | two threads | two processes | threads ÷ one | processes ÷ one |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const kind of kinds) {
    if (kind === 'hash-oneshot' && typeof crypto.hash !== 'function') {
      console.log(`| ${kind} | needs Node 21.7 or later | | | | |`);
      continue;
    }
    const one = count(kind, ms);
    const threads = await twice(
      () => new Promise((resolve, reject) => new Worker(self, { workerData: { kind, ms } }).once('message', resolve).once('error', reject)),
    );
    const processes = await twice(
      () =>
        new Promise((resolve, reject) =>
          fork(self.pathname, ['--child', kind, String(ms)])
            .once('message', resolve)
            .once('error', reject),
        ),
    );
    console.log(`| ${kind} | ${one} | ${threads} | ${processes} | ${(threads / one).toFixed(2)} | ${(processes / one).toFixed(2)} |`);
  }
}
