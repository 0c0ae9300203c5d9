/**
 * What every model's server gets alike: one upstream service process (so
 * its cost stays out of the servers' CPU figures), a directory with a file
 * to download, an upload body, and one CPU calibration pinned for every
 * process and thread (DEMO_CPU_ROUNDS_PER_MS), so all do identical work.
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

  const cpu = await import(pathToFileURL(resolve(DEMO_DIST, 'work/cpu.js')).href);
  // Calibrated here, before any load and after a warm-up of the JIT; an explicit value wins, to replay a run on equal work.
  if (!Number(process.env.DEMO_CPU_ROUNDS_PER_MS)) cpu.burnRounds(5_000);
  const roundsPerMs = Number(process.env.DEMO_CPU_ROUNDS_PER_MS) || cpu.calibrate();
  process.env.DEMO_CPU_ROUNDS_PER_MS = String(roundsPerMs);
  const rounds = cpu.roundsFor(CPU_MS);

  const service = upstream ? await startUpstream() : undefined;
  return {
    env: {
      DEMO_FILES_DIR: dir,
      DEMO_CPU_ROUNDS_PER_MS: String(roundsPerMs),
      ...(service && { DEMO_UPSTREAM_URL: service.url }),
    },
    facts: {
      file: { name: FILE_NAME, bytes: FILE_BYTES, sha256: sha256(file) },
      upload: { body: upload, bytes: UPLOAD_BYTES, sha256: sha256(upload) },
      cpu: { ms: CPU_MS, roundsPerMs, rounds, digest: cpu.burnRounds(rounds) },
      upstreamUrl: service?.url,
    },
    close() {
      service?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
