/**
 * The runner's side of a model's server: starts it in its own process and
 * reads its resource use.
 */
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnNode, stopChild, type NodeChild } from '../proc/spawn.js';
import { processTree, procAvailable, treeUsage } from '../proc/tree.js';
import type { ContenderName, ContenderSpec, LiveServerStats, ModelName, ModelTarget, SequentialOptions, TreeUsage } from '../types.js';
import { SPEC_ENV, type ServerSpec } from './spec.js';

const ENTRY = fileURLToPath(new URL('./main.js', import.meta.url));
/** This package's folder: backends installed beside the bench (a global install, `npx -p`) are found from here last. */
const OWN_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface ModelProcess {
  /** The model's or contender's name. */
  model: ContenderName;
  url: string;
  /** The runner's metrics port, when the spec asked for one. */
  metricsUrl?: string;
  pid: number;
  /** The open-file limit the server got. */
  fdLimit: number | undefined;
  /** CPU and memory of the server's process tree so far. */
  usage(): Promise<TreeUsage>;
  /** Whether the process is still running. */
  alive(): boolean;
  /**
   * The server's `stats()` as it answered (`ServerStats` of `@switchyard/core`, typed here by what live
   * figures read); undefined for servers without one, or when no answer came within `timeoutMs` (default 1000).
   */
  stats(timeoutMs?: number): Promise<LiveServerStats | undefined>;
  stop(): Promise<void>;
  kill(): void;
}

export interface LaunchOptions {
  fdLimit?: number;
  /** Each line the server prints after it is ready. */
  onLine?: (line: string) => void;
  /** Whether `onLine` wants stdout's lines now (spawnNode's `wantsLines`). */
  wantsLines?: () => boolean;
  startTimeoutMs?: number;
  /** Start the server on these CPUs with `taskset -c` (the path of taskset, and the list). */
  pin?: { taskset: string; cpus: string };
}

/** A path or URL as a file URL string. */
export function toFileUrl(value: string | URL): string {
  if (value instanceof URL) return value.href;
  return /^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[a-z]:[\\/]/i.test(value) ? value : pathToFileURL(value).href;
}

/** The spec a child needs to run contender `name`: its model with its own settings over the run's, or its server module. */
export function contenderSpec(name: string, contender: ContenderSpec, target: ModelTarget & { sequential: Required<SequentialOptions> }): ServerSpec {
  if (contender.server !== undefined) {
    return {
      model: 'server',
      name,
      server: toFileUrl(contender.server),
      ...(contender.options !== undefined && { options: contender.options }),
      sequential: target.sequential,
      resolveFrom: [],
    };
  }
  const own = Object.fromEntries(
    Object.entries({ app: contender.app, rawHandler: contender.rawHandler, workers: contender.workers, serve: contender.serve }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  return { ...serverSpec(contender.model!, { ...target, ...own }), name };
}

/** The spec a child needs to run `model` for `target`. */
export function serverSpec(model: ModelName, target: ModelTarget & { sequential: Required<SequentialOptions> }): ServerSpec {
  const app = target.app === undefined ? undefined : toFileUrl(target.app);
  const resolveFrom = [target.resolveFrom, app?.startsWith('file:') ? dirname(fileURLToPath(app)) : undefined, process.cwd(), OWN_DIR].filter(
    (dir): dir is string => dir !== undefined,
  );
  return {
    model,
    ...(app !== undefined && { app }),
    ...(target.rawHandler !== undefined && { rawHandler: toFileUrl(target.rawHandler) }),
    ...(target.workers !== undefined && { workers: target.workers }),
    ...(target.serve !== undefined && { serve: target.serve }),
    sequential: target.sequential,
    resolveFrom,
  };
}

export async function startModel(spec: ServerSpec, env: Record<string, string> = {}, options: LaunchOptions = {}): Promise<ModelProcess> {
  const name = spec.name ?? spec.model;
  const handle: NodeChild = await spawnNode(ENTRY, [], {
    label: name,
    ...(options.pin && { prefix: [options.pin.taskset, '-c', options.pin.cpus] }),
    env: { ...env, [SPEC_ENV]: JSON.stringify(spec) },
    ...(options.fdLimit !== undefined && { fdLimit: options.fdLimit }),
    ...(options.onLine && { onLine: options.onLine }),
    ...(options.wantsLines && { wantsLines: options.wantsLines }),
    ...(options.startTimeoutMs !== undefined && { startTimeoutMs: options.startTimeoutMs }),
  });
  const { child, ready } = handle;
  const pid = Number(ready.pid);
  const limit = typeof ready.fdLimit === 'number' ? ready.fdLimit : undefined;

  let nextId = 0;
  const pending = new Map<number, (usage: TreeUsage) => void>();
  const pendingStats = new Map<number, (stats: LiveServerStats | undefined) => void>();
  child.on('message', (message: { type?: string; id?: number; cpuMs: number; rssBytes: number; peakRssBytes: number; stats?: LiveServerStats | null }) => {
    if (message?.id === undefined) return;
    if (message.type === 'stats') {
      const answer = pendingStats.get(message.id);
      pendingStats.delete(message.id);
      answer?.(message.stats ?? undefined);
      return;
    }
    const resolve = pending.get(message.id);
    if (!resolve) return;
    pending.delete(message.id);
    resolve({ cpuMs: message.cpuMs, rssBytes: message.rssBytes, peakRssBytes: message.peakRssBytes, processes: 1, source: 'self' });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;

  return {
    model: name,
    url: String(ready.url),
    ...(typeof ready.metricsUrl === 'string' && { metricsUrl: ready.metricsUrl }),
    pid,
    fdLimit: limit,
    alive,
    usage() {
      if (procAvailable()) return Promise.resolve(treeUsage(pid));
      if (!alive() || !child.connected) return Promise.reject(new Error(`${name}: the server process has exited`));
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, resolve);
        child.send({ type: 'usage', id }, (error) => error && reject(error));
      });
    },
    stats(timeoutMs = 1_000) {
      if (!alive() || !child.connected) return Promise.resolve(undefined);
      const id = ++nextId;
      return new Promise((resolve) => {
        // A server whose loop is held (a reactor under CPU load) answers late or never: the caller gets nothing rather than waiting.
        const timer = setTimeout(() => {
          pendingStats.delete(id);
          resolve(undefined);
        }, timeoutMs);
        pendingStats.set(id, (stats) => {
          clearTimeout(timer);
          resolve(stats);
        });
        child.send({ type: 'stats', id }, (error) => {
          if (!error) return;
          clearTimeout(timer);
          pendingStats.delete(id);
          resolve(undefined);
        });
      });
    },
    stop: () => stopChild(handle),
    kill() {
      // The whole tree: a cluster's workers must not outlive a killed primary.
      const pids = procAvailable() && alive() ? processTree(pid) : [pid];
      for (const each of pids.reverse()) {
        try {
          process.kill(each, 'SIGKILL');
        } catch {}
      }
    },
  };
}
