/**
 * The server processes of a round. By default (`fresh: 'round'`) each model
 * gets one fresh process per round that serves every scenario of that
 * round, so the models of a scenario run seconds apart and start-up costs
 * little; with `fresh: 'run'` every timed run gets a process of its own. A
 * process that died is replaced on its next use. Servers the run was given
 * (`attach`) are measured where they are, and never started or stopped.
 */
import { procAvailable, treeUsage } from '../proc/tree.js';
import { contenderSpec, serverSpec, startModel, type ModelProcess } from '../server/launch.js';
import type { ResolvedBenchOptions } from '../options.js';
import type { AttachedServer, ContenderName, ModelName } from '../types.js';
import type { RunContext } from './context.js';
import { scenarioModels } from './plan.js';

/** Whether a scenario that `model` runs probes the runner's metrics port: its server then serves one, all round. */
function probesMetrics(options: ResolvedBenchOptions, model: ContenderName): boolean {
  return options.scenarios.some((scenario) => scenario.probe?.on === 'metrics' && scenarioModels(options, scenario).includes(model));
}

/** Whether process `pid` exists. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An attached server as the run's other servers look: its own usage() where it has one (startModel's), else its tree from /proc. */
export function attachedProcess(model: ContenderName, server: AttachedServer): ModelProcess {
  return {
    model,
    url: server.url.replace(/\/+$/, ''),
    ...(server.metricsUrl !== undefined && { metricsUrl: server.metricsUrl.replace(/\/+$/, '') }),
    pid: server.pid,
    fdLimit: undefined,
    alive: () => running(server.pid),
    usage: () =>
      server.usage
        ? server.usage()
        : procAvailable()
          ? Promise.resolve(treeUsage(server.pid))
          : Promise.reject(new Error(`${model}: an attached server's memory and CPU need /proc (Linux), or a usage() of its own`)),
    stats: async (timeoutMs) => (await server.stats?.(timeoutMs)) ?? undefined,
    stop: async () => {},
    kill: () => {},
  };
}

export class ServerSet {
  readonly #ctx: RunContext;
  readonly #running = new Map<ContenderName, ModelProcess>();

  constructor(ctx: RunContext) {
    this.#ctx = ctx;
  }

  /** The model's process, started if it is not running. */
  async get(model: ContenderName): Promise<ModelProcess> {
    const attached = this.#ctx.options.attach?.[model];
    if (attached) {
      const proc = attachedProcess(model, attached);
      if (!proc.alive()) throw new Error(`the attached server at ${proc.url} (pid ${proc.pid}) is not running`);
      return proc;
    }
    const existing = this.#running.get(model);
    if (existing?.alive()) return existing;
    if (existing) this.#forget(existing);
    const { options, pinning } = this.#ctx;
    this.#ctx.progress.phase('starting');
    const contender = options.contenders[model];
    const spec = contender ? contenderSpec(model, contender, options) : serverSpec(model as ModelName, options);
    if (probesMetrics(options, model)) spec.metricsPort = true;
    const proc = await startModel(
      spec,
      { ...options.env, ...contender?.env },
      {
        fdLimit: this.#ctx.fdLimit,
        ...(pinning && { pin: { taskset: pinning.taskset, cpus: pinning.server } }),
        onLine: (line) => this.#ctx.logs(model, line),
        wantsLines: () => this.#ctx.wantsLogs(model),
      },
    );
    this.#running.set(model, proc);
    this.#ctx.live.add(proc);
    return proc;
  }

  /** After a timed run: stops the process when every run gets its own. */
  async release(model: ContenderName): Promise<void> {
    if (this.#ctx.options.fresh === 'run') await this.stop(model);
  }

  async stop(model: ContenderName): Promise<void> {
    const proc = this.#running.get(model);
    if (!proc) return;
    this.#ctx.progress.phase('stopping');
    this.#forget(proc);
    await proc.stop();
  }

  async stopAll(): Promise<void> {
    for (const model of [...this.#running.keys()]) await this.stop(model);
  }

  #forget(proc: ModelProcess): void {
    this.#running.delete(proc.model);
    this.#ctx.live.delete(proc);
  }
}
