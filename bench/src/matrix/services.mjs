/**
 * What every model's server gets alike: one upstream service process (so
 * its cost stays out of the servers' CPU figures), a directory with a file
 * to download, an upload body, and one CPU calibration per kind of work
 * pinned for every process and thread (DEMO_CPU_ROUNDS_PER_MS,
 * DEMO_CPU_JS_STEPS_PER_MS, DEMO_CPU_NATIVE_ITERATIONS_PER_MS), so all do
 * identical work.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { DEMO_DIST } from './paths.mjs';

export const FILE_NAME = 'bench-1mib.bin';
const FILE_BYTES = 1 << 20;
const UPLOAD_BYTES = 256 * 1024;
export const CPU_MS = 2;
/** Work done once before calibrating each kind, so the JIT has compiled its code: a few milliseconds of each. */
const WARM_UP = { hash: 5_000, js: 5_000_000, native: 20_000 };

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Starts `node apps/demo/dist/upstream/main.js --port 0` and waits for the URL it prints. */
async function startUpstream() {
  const child = spawn(process.execPath, [resolve(DEMO_DIST, 'upstream/main.js'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((done, fail) => {
    createInterface({ input: child.stdout }).once('line', (line) => done(line.trim()));
    child.once('exit', (code) => fail(new Error(`the upstream service exited (${code}) before printing its URL`)));
  });
  if (!/^http:\/\//.test(url)) throw new Error(`the upstream service printed ${JSON.stringify(url)}, not a URL`);
  return { url, stop: () => child.kill('SIGTERM') };
}

export async function prepareServices({ upstream = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-files-'));
  const file = randomBytes(FILE_BYTES);
  writeFileSync(join(dir, FILE_NAME), file);
  const upload = randomBytes(UPLOAD_BYTES);

  const work = await import(pathToFileURL(resolve(DEMO_DIST, 'work/kinds.js')).href);
  // Calibrated here, before any load and after a warm-up of the JIT; an explicit value wins, to replay a run on equal work.
  const rates = {};
  for (const kind of work.CPU_KINDS) {
    const { env, run } = work.KINDS[kind];
    if (!Number(process.env[env])) run(WARM_UP[kind]);
    rates[kind] = work.KINDS[kind].rate();
    process.env[env] = String(rates[kind]);
  }
  const roundsPerMs = rates.hash;
  const rounds = work.unitsFor('hash', CPU_MS);
  // The answer of `/cpu?ms=&kind=`, computed once per cell the scenarios ask for.
  const answers = new Map();
  const answer = (kind, ms) => {
    const key = `${kind} ${ms}`;
    if (!answers.has(key)) answers.set(key, work.cpuWork(kind, ms));
    return answers.get(key);
  };

  const service = upstream ? await startUpstream() : undefined;
  return {
    env: {
      DEMO_FILES_DIR: dir,
      ...Object.fromEntries(work.CPU_KINDS.map((kind) => [work.KINDS[kind].env, String(rates[kind])])),
      ...(service && { DEMO_UPSTREAM_URL: service.url }),
    },
    facts: {
      file: { name: FILE_NAME, bytes: FILE_BYTES, sha256: sha256(file) },
      upload: { body: upload, bytes: UPLOAD_BYTES, sha256: sha256(upload) },
      cpu: { ms: CPU_MS, roundsPerMs, rounds, digest: answer('hash', CPU_MS).digest, rates, answer },
      upstreamUrl: service?.url,
    },
    close() {
      service?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
