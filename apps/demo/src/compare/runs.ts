/**
 * The server-side load driver: a run is one scenario of the bench engine
 * against the backends already running (`attach`), one backend after
 * another by default or all at once (`together`). Every event of a run is
 * kept, so a page that connects late replays it, and goes out live to the
 * pages watching.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { appReport, type LiveTick, type ModelProcess, type ModelName, recommend, runBench, writeReports } from '@switchyard/bench';
import { writeFile } from 'node:fs/promises';
import { SCENARIOS } from './scenarios.js';
import { verdictOf } from './verdict.js';

export interface Backend {
  name: ModelName;
  process: ModelProcess;
}

export interface RunSettings {
  /** The built demo app every backend runs. */
  app: string;
  /** Where each run's reports go, a folder per run. */
  outDir: string;
  /** Seconds each backend is timed. */
  duration: number;
  /** Seconds of discarded load before. */
  warmup: number;
  /** Milliseconds between live figures. */
  everyMs: number;
}

/** A run's event, as the page receives it. */
export type RunEvent = { type: string; [key: string]: unknown };

/** The files a run's report folder holds, served under `/reports/<id>/`. */
export const REPORT_NAMES = ['report.html', 'results.md', 'results.json', 'bench.txt'] as const;

export class Run {
  readonly events: RunEvent[] = [];
  readonly #listeners = new Set<(event: RunEvent) => void>();
  state: 'running' | 'done' | 'failed' = 'running';

  constructor(
    readonly id: string,
    readonly scenario: string,
  ) {}

  emit(event: RunEvent): void {
    this.events.push(event);
    for (const listener of this.#listeners) listener(event);
  }

  /** Every event so far, then each new one, until `end`; returns the unsubscribe. */
  follow(listener: (event: RunEvent) => void): () => void {
    for (const event of this.events) listener(event);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export class BusyError extends Error {
  constructor(readonly run: Run) {
    super(`run ${run.id} (${run.scenario}) is still going`);
  }
}

/** What a tick says, for the page: the sample stays in the report. */
function tickEvent(tick: LiveTick): RunEvent {
  const { sample: _sample, ...figures } = tick;
  // JSON has no NaN: figures that do not exist go as null.
  return JSON.parse(JSON.stringify({ type: 'tick', ...figures })) as RunEvent;
}

export class Runs {
  readonly #backends: Backend[];
  readonly #settings: RunSettings;
  readonly #runs = new Map<string, Run>();
  #current: Run | undefined;
  #count = 0;

  constructor(backends: Backend[], settings: RunSettings) {
    this.#backends = backends;
    this.#settings = settings;
  }

  get(id: string): Run | undefined {
    return this.#runs.get(id);
  }

  /** Starts `scenario` against every backend; one run at a time (BusyError). */
  start(key: string, options: { together?: boolean } = {}): Run {
    const compare = SCENARIOS[key];
    if (!compare) throw new TypeError(`unknown scenario ${JSON.stringify(key)}: one of ${Object.keys(SCENARIOS).join(', ')}`);
    if (this.#current) throw new BusyError(this.#current);
    const id = `${++this.#count}-${key}`;
    const run = new Run(id, key);
    this.#runs.set(id, run);
    this.#current = run;
    void this.#drive(run, options.together === true).finally(() => {
      this.#current = undefined;
    });
    return run;
  }

  async #drive(run: Run, together: boolean): Promise<void> {
    const compare = SCENARIOS[run.scenario]!;
    const models = this.#backends.map((backend) => backend.name);
    const { app, duration, warmup, everyMs, outDir } = this.#settings;
    run.emit({ type: 'start', id: run.id, scenario: run.scenario, title: compare.button, together, models, durationS: duration, warmupS: warmup });
    try {
      const result = await runBench({
        app,
        models,
        attach: Object.fromEntries(this.#backends.map((backend) => [backend.name, backend.process])),
        scenarios: [compare.scenario],
        runs: 1,
        warmup,
        duration,
        together,
        baseline: 'reactor',
        live: { everyMs, onTick: (tick) => run.emit(tickEvent(tick)) },
        progress: 'lines',
        log: (line) => run.emit({ type: 'log', line }),
        title: `Switchyard compare: ${compare.button}`,
        meta: { command: 'switchyard compare', scenario: run.scenario },
      });
      const dir = join(outDir, run.id);
      await mkdir(dir, { recursive: true });
      writeReports(result, dir);
      // The text `switchyard bench` prints for the same figures.
      await writeFile(join(dir, 'bench.txt'), appReport(app, { result, recommendation: recommend(result) }));
      const verdict = verdictOf(result, compare, models);
      run.emit(JSON.parse(JSON.stringify({ type: 'verdict', ...verdict, report: `/reports/${run.id}/report.html`, text: `/reports/${run.id}/bench.txt` })));
      run.state = 'done';
    } catch (error) {
      run.state = 'failed';
      run.emit({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
    run.emit({ type: 'end', state: run.state });
  }
}
