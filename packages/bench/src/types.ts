/**
 * The public types of the comparison engine: what a run is asked to measure,
 * and the result it hands back (which is also `results.json`).
 */

/**
 * The concurrency models a run can compare.
 * - `raw`: a plain `node:http` server running a raw handler module: the reference.
 * - `sequential`: the app, served one connection at a time, like a synchronous socket server.
 * - `reactor`, `pool`, `cluster`: the app under `@switchyard/<name>`.
 */
export type ModelName = 'raw' | 'sequential' | 'reactor' | 'pool' | 'cluster' | 'threads';

/**
 * A server a run measures: one of the models, or the name of one of the
 * run's `contenders` (a peer framework, or a model with an app of its own).
 */
export type ContenderName = ModelName | (string & {});

/** The load generators the engine drives. */
export type GeneratorName = 'autocannon' | 'wrk';

/** One HTTP request, as the check and the load generator send it. */
export interface RequestSpec {
  /** Default `GET`. */
  method?: string;
  /** Path and query, starting with `/`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/**
 * What a correct answer looks like. Every field is optional; `status`
 * defaults to 200. Checked on every fresh server process before any timing.
 */
export interface Expectation {
  status?: number;
  /** The body contains this text. */
  bodyIncludes?: string;
  /** The body matches this regular expression (a string is compiled as one). */
  bodyMatches?: string | RegExp;
  /** The body's length in bytes. */
  bodyBytes?: number;
  /** The SHA-256 of the body, in hex. */
  bodySha256?: string;
  /** The body is JSON holding at least these top-level values. */
  json?: Record<string, unknown>;
  /** Response headers (lower-case names) that must contain the given text or match the pattern. */
  headers?: Record<string, string | RegExp>;
  /** The response never ends (SSE, long poll): check the head and the first bytes only. */
  stream?: boolean;
}

interface ScenarioBase {
  /** Short id, used in filters and file names: `[a-z0-9-]+`. */
  name: string;
  /** One line for reports. Default: the name. */
  title?: string;
  /** Why the scenario matters, for reports. */
  description?: string;
  /** The request the load generator repeats. */
  request: RequestSpec;
  expect?: Expectation;
  /** Concurrent keep-alive connections of the load generator. Default 100. */
  connections?: number;
  /** Only these models run this scenario. Default: every model of the run. */
  models?: ContenderName[];
  /**
   * Another request timed beside the load, from its own process, through
   * the timed run, so the result shows what a light request waits while
   * this one loads the server (a handler that blocks the event loop makes
   * it wait). See `ProbeSpec` for the closed and open loop.
   */
  probe?: ProbeSpec;
  /** Seconds before a request counts as timed out, for this scenario's load, probe and check. Default: the run's `timeout`. */
  timeout?: number;
  /**
   * Seconds of discarded load before each timed run of this scenario.
   * Default: the run's `warmup`. A route whose code each thread compiles
   * on its own (a pool's CPU route) needs longer than a hello world.
   */
  warmup?: number;
  /**
   * After each load (warm-up and timed run), wait until the server's
   * processes are idle before going on, at most `timeout` seconds. A closed
   * loop leaves one request per connection behind when it stops, and the
   * server still runs them: with slow requests and many connections that
   * is seconds of work that would fall on the next run, or on another
   * model measured meanwhile. Default false.
   */
  drain?: boolean;
  /** Marks a cell of an isolation grid: the report gives such scenarios their own table and charts. */
  isolation?: IsolationCell;
}

/**
 * A cell of an isolation grid: an expensive route loaded (the scenario's
 * request and connections) while an open-loop probe times a cheap one. The
 * report sets the cells side by side per model: the cheap route's p50 and
 * p99, the expensive route's req/s, and the pool's req/s over the others'.
 */
export interface IsolationCell {
  /** The kind of work of the expensive route, e.g. `js` or `native`. */
  work: string;
  /** What one expensive request costs, in milliseconds of CPU on an idle core. */
  costMs: number;
}

export interface ProbeSpec {
  request: RequestSpec;
  /** Closed loop: milliseconds between one answer and the next request. Open loop: between scheduled sends. Default 10. */
  everyMs?: number;
  /**
   * Default false: a closed loop, one keep-alive connection that waits for
   * each answer, then `everyMs`. A closed loop hides queueing: while the
   * server stalls it sends nothing, so a 300 ms stall is one slow sample.
   * True: an open loop that sends every `everyMs` on a fixed schedule
   * whether or not earlier requests were answered (over keep-alive
   * connections opened beforehand, and more as needed), and times each request from its scheduled send
   * time, so a stall shows in every request that fell into it (no
   * coordinated omission). Requests still unanswered when the timed run
   * ends count in `unanswered`, with their age then among the latencies: a
   * lower bound of what they would have waited, rather than left out.
   */
  openLoop?: boolean;
  /**
   * Where the probe goes. Default `server`: the port the load goes to.
   * `metrics`: the runner's own port (`serve({ metrics: <port>, health:
   * true })`), where a load balancer would send its health check, for a
   * path the runner answers there (`/livez`, `/readyz`, `/metrics`). Every Switchyard
   * model and contender that runs the scenario then starts with a metrics
   * port of its own, for the whole round; other models cannot run it.
   */
  on?: 'server' | 'metrics';
}

/** What the probe saw in one timed run: latencies of its 2xx answers (and, open loop, the age of unanswered requests). */
export interface ProbeSample {
  /** 2xx answers. */
  requests: number;
  /** Non-2xx answers, socket errors and timeouts. */
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Open loop: requests sent on the schedule (`requests + errors + unanswered`). */
  sent?: number;
  /** Open loop: requests still unanswered when the run ended; their ages at that moment are among the latencies. */
  unanswered?: number;
  /**
   * Open loop: the age of the oldest of them (0 when none). A p50 or p99 at
   * or below it is a lower bound: requests already waiting that long were
   * still unanswered. (A request sent just before the end says nothing.)
   */
  oldestUnansweredMs?: number;
}

/** Load on one route. */
export interface LoadScenario extends ScenarioBase {
  kind?: 'load';
}

/**
 * Connections held open (SSE, long poll, idle keep-alive) while the request
 * is measured: memory per idle connection and throughput beside them.
 */
export interface IdleScenario extends ScenarioBase {
  kind: 'idle';
  idle: {
    /** The request each idle connection sends, e.g. `GET /chat/events`. */
    request: RequestSpec;
    /** Connections to hold. Default: the run's `idleConnections`. */
    count?: number;
    /**
     * When a connection counts as held: `head` once its response head
     * arrived (SSE), `connect` once TCP connected (a route that answers late).
     * Default `head`.
     */
    heldWhen?: 'head' | 'connect';
    /** What the idle route answers; checked like a scenario's `expect`. Default: status 200, streaming. */
    expect?: Expectation;
  };
}

export type Scenario = LoadScenario | IdleScenario;

/** How to start the servers: the app module, the raw reference, and their settings. */
export interface ModelTarget {
  /** Path or file URL of the app module (`export default { fetch }`); needed by every model but `raw`. */
  app?: string | URL;
  /**
   * Path or file URL of a raw `node:http` handler module for the `raw`
   * reference: `export default function (req, res) {}`, with optional
   * `setup()` and `teardown()` exports. Without it, `raw` is left out.
   */
  rawHandler?: string | URL;
  /** Environment given to every server process (e.g. an upstream's URL). */
  env?: Record<string, string>;
  /** Threads (pool) or processes (cluster). Default: the backend's own default. */
  workers?: number;
  /** Passed to `serve()` for reactor, pool, cluster and threads (and the app under `sequential`). */
  serve?: {
    limits?: Record<string, number>;
    pool?: Record<string, unknown>;
    cluster?: Record<string, unknown>;
    threads?: Record<string, unknown>;
  };
  sequential?: SequentialOptions;
  /** Directory that backends are resolved from. Default: the app's directory, then the working directory. */
  resolveFrom?: string;
}

/**
 * A server measured beside the models, under a name of its own. Either one
 * of the models with its own app or settings (`model`), or any other
 * server started by a module (`server`): a peer framework, a hand-written
 * `node:cluster`, anything that listens on HTTP.
 */
export interface ContenderSpec {
  /** One line for reports: what serves the request. */
  note?: string;
  /** Run this model; `app`, `rawHandler`, `workers`, `serve` and `env` below override the run's. */
  model?: ModelName;
  app?: string | URL;
  rawHandler?: string | URL;
  workers?: number;
  serve?: ModelTarget['serve'];
  /** Environment for this contender's process, over the run's `env`. */
  env?: Record<string, string>;
  /**
   * Path or file URL of a module whose default export (or `start` export)
   * starts the server in the contender's own process:
   * `(options) => Promise<{ url, close() }>`, called with `options` below
   * plus `host: '127.0.0.1'` and `port: 0`. `close()` stops it, workers
   * and all.
   */
  server?: string | URL;
  /** JSON-serialisable options for `server`'s start function. */
  options?: Record<string, unknown>;
}

/**
 * Pins the servers to some CPUs and the generator (this process, and so
 * wrk, the probe and ab, which it starts) to others, with `taskset`, so the
 * kernel does not move them across the same cores between runs. Lists are
 * `taskset -c` lists (`0`, `0-1`, `2,3`).
 */
export interface PinOptions {
  /** Default `0`. */
  server?: string;
  /** Default `1`. */
  generator?: string;
}

/** The one-connection-at-a-time baseline. */
export interface SequentialOptions {
  /**
   * Connections that may wait for their turn; one more is reset at once,
   * like a full listen backlog that aborts on overflow. Default 128, the
   * classic `SOMAXCONN`.
   */
  backlog?: number;
  /**
   * Keep a connection for further requests (until the client closes it or
   * 5 s pass idle). Default false: one request per connection, then close,
   * as an HTTP/1.0-style synchronous server does.
   */
  keepAlive?: boolean;
}

/** The Apache Bench experiment: `ab -r -n<requests> -c<concurrency> -l <url>`, no keep-alive. */
export interface ClassicOptions {
  /** Default 1000. */
  requests?: number;
  /** Default 150. */
  concurrency?: number;
  /** The route; default: the first scenario's request path. */
  path?: string;
  expect?: Expectation;
}

export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

export interface BenchOptions extends ModelTarget {
  scenarios: Scenario[];
  /** Default: every model the target can start (`raw` needs `rawHandler`, the rest `app`); with `contenders`, none unless listed. */
  models?: ModelName[];
  /**
   * Servers measured beside the models, by name (`[a-z0-9-]+`, not a
   * model's). Each runs every scenario that does not list its models.
   */
  contenders?: Record<string, ContenderSpec>;
  /**
   * Pin servers and generator to separate CPUs with `taskset`. `true` or
   * `'auto'`: server on CPU 0, generator on CPU 1, when `taskset` is
   * installed and there are 2 CPUs or more (`'auto'` runs unpinned with a
   * warning otherwise; `true` fails). Default false. Servers of several
   * threads or processes (pool, cluster) share the server's CPUs.
   */
  pin?: boolean | 'auto' | PinOptions;
  /** The reports' heading. Default `Switchyard bench`. */
  title?: string;
  /** What a model serves, for the reports, over the defaults (`MODEL_NOTES`): e.g. which kind of app it runs. */
  modelNotes?: Partial<Record<ModelName, string>>;
  /** Timed runs per scenario and model, each in a fresh process. Default 3. */
  runs?: number;
  /** Seconds of discarded load before each timed run. Default 1. */
  warmup?: number;
  /** Seconds per timed run. Default 3. */
  duration?: number;
  /** Default `autocannon`. `wrk` must be on `PATH`. */
  generator?: GeneratorName;
  /** Seconds before a request counts as timed out, for every generator. Default 10. */
  timeout?: number;
  /** Idle connections for idle scenarios that set no count. Default 10000. */
  idleConnections?: number;
  /** Seed of the run order; default random. Recorded, so an order can be replayed. */
  seed?: number;
  /** The reference every ratio divides by. Default `raw` when it runs, else `reactor`, else the first model or contender. */
  baseline?: ContenderName;
  /**
   * How long a server process lives: `round` (default), one process per
   * model per round serving every scenario of the round, so the models of a
   * scenario run seconds apart; `run`, a process per timed run (slower).
   */
  fresh?: 'round' | 'run';
  /** Run the Apache Bench experiment when `ab` is installed. Default false. */
  classic?: boolean | ClassicOptions;
  /** Default `auto`: a bar on a TTY (or with `FORCE_PROGRESS=1`), plain lines otherwise. */
  progress?: ProgressMode;
  /** Where progress lines go. Default: standard error. */
  log?: (line: string) => void;
  /** A label recorded with the settings (e.g. `quick`). */
  profile?: string;
  /** Free-form settings recorded in the results as given. */
  meta?: Record<string, unknown>;
  /**
   * Ratios between two models or contenders beside the baseline's, e.g. a
   * second reference (`reactor-native` over `raw-native`) or a model over
   * another (`cluster` over `reactor`). Each is computed in every scenario
   * where both ran, paired per round like the baseline's.
   */
  pairs?: PairSpec[];
  /**
   * Servers already running, by model or contender name: measured where
   * they are instead of started (from `startModel`, say, or any server
   * whose process id is known). The run never stops them; one that has
   * exited fails its runs. Default: none, every server is started.
   */
  attach?: Partial<Record<ContenderName, AttachedServer>>;
  /**
   * Figures while each timed run goes, every `everyMs`: for a page or a
   * terminal that fills as the run goes. Default: none.
   */
  live?: LiveOptions;
  /**
   * Run the models of a scenario at the same time in each round, rather
   * than one after another. They then compete for the cores and the
   * generator's process, so their figures are for watching side by side,
   * not for a verdict to trust. Default false.
   */
  together?: boolean;
  /**
   * Before each timed run, wait until the machine is idle, so a
   * neighbour's burst does not land inside a measurement. `true`: at
   * least 90% of every CPU idle over 2 s, waiting at most 600 s.
   * Default false.
   */
  quiet?: boolean | QuietOptions;
}

/** A server a run measures where it is (`BenchOptions.attach`). */
export interface AttachedServer {
  /** Where it serves, e.g. `http://127.0.0.1:3001`. */
  url: string;
  /** Its process: CPU and memory are read from its process tree (/proc) unless it has `usage()`. */
  pid: number;
  /** Its runner's metrics port, e.g. `http://127.0.0.1:9555`, for a probe `on: 'metrics'`. */
  metricsUrl?: string;
  /** CPU and memory of its process tree; `startModel`'s processes have it. Default: read from /proc. */
  usage?(): Promise<TreeUsage>;
  /** Its `stats()` (`@switchyard/core`'s `ServerStats`), for the event-loop delay of live figures; `startModel`'s processes have it. */
  stats?(timeoutMs?: number): Promise<LiveServerStats | undefined>;
}

/** The part of a server's `stats()` that live figures read. */
export interface LiveServerStats {
  eventLoop?: { delayP99Ms: number };
  workers?: { eventLoop?: { delayP99Ms: number } }[];
}

export interface LiveOptions {
  /** Called with each tick, and once more with the run's sample when it ends. */
  onTick(tick: LiveTick): void;
  /** Milliseconds between ticks. Default 1000. */
  everyMs?: number;
}

/** One model's figures so far in a timed run (`BenchOptions.live`). */
export interface LiveTick {
  scenario: string;
  model: ContenderName;
  round: number;
  /** `timed`: during the timed run; `done`: the run ended and `sample` is what the result records. */
  phase: 'timed' | 'done';
  /** Seconds since the timed run began. */
  elapsedS: number;
  /** Responses so far in the timed run (autocannon only; wrk reports at the end). */
  requests: number;
  /** Responses per second since the previous tick; NaN where the generator cannot count as it goes (wrk). */
  rps: number;
  /** Socket errors, non-2xx answers and timeouts so far. */
  errors: number;
  /** The server's summed RSS now; in the `done` tick, the run's peak. */
  rssBytes: number;
  /** The worst event-loop delay p99 of the server's loops since the previous tick, where the server reports `stats()`. */
  loopDelayP99Ms?: number;
  /** The probe's figures so far, when the scenario has one. */
  probe?: ProbeSample;
  /** With `phase: 'done'`. */
  sample?: Sample;
}

/** One ratio of `model` over `over`, reported in each scenario where both ran. */
export interface PairSpec {
  model: ContenderName;
  over: ContenderName;
  /** Default `<model> / <over>`. */
  label?: string;
  /** The req/s ratio wanted; the report says whether it was met. */
  target?: number;
}

/** A pair, measured in one scenario. */
export interface PairRatio {
  label: string;
  model: ContenderName;
  over: ContenderName;
  target?: number;
  /** req/s of `model` over `over`'s in the same round, median over rounds; NaN when either was not measured. */
  rps: number;
  rpsMin: number;
  rpsMax: number;
  /** Median req/s over median req/s: a cross-check of `rps`. */
  ratioOfMedians: number;
  /** `over`'s CPU per request over `model`'s: the capacity ratio if each had its CPUs to itself. */
  cpu: number;
  /** The fewer server cores of the two (median over runs): below one, that server was not the bottleneck. */
  leastCores: number;
  /** `rps >= target`, when there is a target and a figure. */
  meetsTarget?: boolean;
  /** Why there is no figure. */
  why?: string;
}

/** What counts as an idle machine before a timed run (`BenchOptions.quiet`). */
export interface QuietOptions {
  /** Share of all CPU time that must be idle, 0 to 1. Default 0.9. */
  idle?: number;
  /** Seconds each reading covers. Default 2. */
  windowS?: number;
  /** Seconds to wait at most before going on regardless. Default 600. */
  maxWaitS?: number;
}

/** One load generator run. */
export interface LoadResult {
  rps: number;
  /** Completed responses. */
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Socket errors (connect, read, write, resets), timeouts excluded. */
  errors: number;
  non2xx: number;
  timeouts: number;
}

/** Resource use of a server's whole process tree. */
export interface TreeUsage {
  /** CPU time (user + system) in milliseconds. */
  cpuMs: number;
  /** Resident memory now, summed over processes. */
  rssBytes: number;
  /** Each process's peak resident memory, summed. */
  peakRssBytes: number;
  processes: number;
  /** `proc`: the whole tree from /proc; `self`: only the server process reported it (not Linux). */
  source: 'proc' | 'self';
}

/** Idle connections in one run. */
export interface IdleSample {
  requested: number;
  /** Connections held when the timed run started. */
  held: number;
  /** Connections refused, reset or closed early. */
  failed: number;
  /** Still held when the timed run ended. */
  heldAfter: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  /** The slope of summed RSS over connections held (least squares over the curve). */
  bytesPerConnection: number;
  /** Summed RSS as connections were added. */
  curve: { connections: number; rssBytes: number }[];
}

/** One timed run of one model. */
export interface Sample extends LoadResult {
  round: number;
  pid: number;
  cpuMs: number;
  cpuUsPerReq: number;
  /** CPU seconds per wall second: near 1 per core the server had. */
  serverCores: number;
  peakRssBytes: number;
  processes: number;
  idle?: IdleSample;
  /** The scenario's probe, when it has one. */
  probe?: ProbeSample;
}

export interface ModelSummary {
  /** Median over runs. */
  rps: number;
  rpsMin: number;
  rpsMax: number;
  /** Half the min-max range over the median: the ± of the spread. */
  spread: number;
  p50Ms: number;
  p99Ms: number;
  /** The largest latency of any run. */
  maxMs: number;
  /** Sums over runs. */
  requests: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  cpuUsPerReq: number;
  serverCores: number;
  /** The largest summed peak RSS of any run. */
  peakRssBytes: number;
  idle?: { requested: number; held: number; heldAfter: number; bytesPerConnection: number; curve: { connections: number; rssBytes: number }[] };
  /** The probe: medians of p50 and p99 over runs, the largest max, summed counts. */
  probe?: ProbeSample;
}

/** Figures divided by the baseline's. */
export interface Ratios {
  /** req/s: median over rounds of the pair in the same round. */
  rps: number;
  rpsMin: number;
  rpsMax: number;
  /** p99 latency (lower is better). */
  p99: number;
  /** CPU per request (lower is better). */
  cpu: number;
  peakRss: number;
}

export interface ModelResult {
  model: ContenderName;
  /** `ok`: measured; `failed`: wrong answer or crash, not timed (see problems); `skipped`: could not run here. */
  status: 'ok' | 'failed' | 'skipped';
  problems: string[];
  /** Server log lines seen during the runs (first few). */
  logs: string[];
  samples: Sample[];
  summary?: ModelSummary;
  ratio?: Ratios;
  /** Errors, non-2xx and timeouts over all requests: above 1% a model cannot be best. */
  errorRate?: number;
}

export interface ScenarioResult {
  name: string;
  title: string;
  description: string;
  kind: 'load' | 'idle';
  request: { method: string; path: string; bodyBytes: number };
  connections: number;
  idleConnections?: number;
  /** The request probed beside the load, when the scenario has a probe. */
  probe?: {
    method: string;
    path: string;
    everyMs: number;
    /** Absent in results written before the open loop existed. */
    openLoop?: boolean;
    /** `metrics` when the probe went to the runner's metrics port; absent for the server's own. */
    on?: 'metrics';
  };
  /** Seconds before a request counted as timed out here, when the scenario set its own. */
  timeoutS?: number;
  /** Seconds of warm-up before each timed run here, when the scenario set its own. */
  warmupS?: number;
  /** The run's `pairs` that both ran here, measured. */
  pairs?: PairRatio[];
  /** The cell of an isolation grid, with the expensive route's req/s of one model over another's (paired per round, median). */
  isolation?: IsolationCell & { rpsRatios: IsolationRatios };
  baseline: ContenderName;
  /** The model with the most req/s among those without errors; the baseline is a reference and never best. */
  best?: ContenderName;
  /** Models whose req/s range overlaps the best's: on this machine they may be as good. */
  tiedWithBest: ContenderName[];
  /** By model or contender name. */
  models: Record<string, ModelResult>;
}

/** The pool's req/s over the reactor's and the cluster's, and the cluster's over the reactor's; absent where a model was not measured. */
export interface IsolationRatios {
  poolToReactor?: number;
  poolToCluster?: number;
  clusterToReactor?: number;
}

export interface ClassicSample {
  round: number;
  rps: number;
  complete: number;
  failed: number;
  non2xx: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Failed requests by kind, as ab reports them. */
  failedDetail: { connect: number; receive: number; length: number; exceptions: number };
}

export interface ClassicModelResult {
  model: ContenderName;
  status: 'ok' | 'failed' | 'skipped';
  problems: string[];
  samples: ClassicSample[];
  summary?: { rps: number; rpsMin: number; rpsMax: number; failed: number; failedMin: number; failedMax: number; p50Ms: number; p99Ms: number; maxMs: number };
}

export interface ClassicResult {
  status: 'ran' | 'skipped';
  reason?: string;
  command: string;
  version?: string;
  requests: number;
  concurrency: number;
  path: string;
  models: Record<string, ClassicModelResult>;
}

export interface SystemInfo {
  cpuModel: string;
  cores: number;
  availableParallelism: number;
  memoryBytes: number;
  freeMemoryBytes: number;
  platform: string;
  release: string;
  node: string;
  v8: string;
  loadavgStart: number[];
  loadavgEnd?: number[];
  /** Open-file limit (soft) the servers and the idle client got. */
  fdLimit?: number;
}

export interface BenchResult {
  schema: 'switchyard-bench/1';
  started: string;
  finished: string;
  durationS: number;
  system: SystemInfo;
  generator: { name: GeneratorName; version: string; command: string };
  settings: {
    profile?: string;
    runs: number;
    warmupS: number;
    durationS: number;
    timeoutS: number;
    seed: number;
    /** Every model and contender of the run, in the order reports show them. */
    models: ContenderName[];
    /** The contenders among them, with what each runs. */
    contenders?: Record<string, { note?: string; model?: ModelName; server?: string }>;
    /** The CPUs servers and generator were pinned to, when they were. */
    pin?: { server: string; generator: string };
    title?: string;
    modelNotes?: Partial<Record<ModelName, string>>;
    scenarios: string[];
    idleConnections: number;
    sequential: Required<SequentialOptions>;
    fresh: 'round' | 'run';
    workers?: number;
    meta?: Record<string, unknown>;
    pairs?: PairSpec[];
    quiet?: Required<QuietOptions>;
    /** The models of each scenario ran at the same time (`together`). */
    together?: boolean;
    /** The models and contenders measured where they already ran (`attach`). */
    attached?: ContenderName[];
  };
  /** Model order per scenario and round, as run. */
  order: { scenario: string; round: number; models: ContenderName[] }[];
  scenarios: ScenarioResult[];
  classic?: ClassicResult;
  warnings: string[];
}

/** The models `benchApp` can compare: a user's app has no raw `node:http` handler. */
export type AppModelName = Exclude<ModelName, 'raw'>;

/** `benchApp(options)`: the comparison on a user's app, one scenario per route. */
export interface BenchAppOptions {
  /** Path or file URL of the app module (`export default { fetch }`). */
  app: string | URL;
  /** The routes to load, each a path (`/report?month=3`) or `METHOD /path`; GET by default. */
  routes: (string | RequestSpec)[];
  /** Default `reactor`, `pool`, `cluster`. Must include `reactor`, the reference. */
  models?: AppModelName[];
  /**
   * The request timed beside each other route's load (see `Scenario.probe`);
   * `false` for none. Default: the first route.
   */
  probe?: string | RequestSpec | false;
  /** About a minute for two routes: 1 run of 1.5 s after 0.5 s of warm-up. */
  quick?: boolean;
  /** Default 3 (1 with `quick`). */
  runs?: number;
  /** Seconds per timed run. Default 3 (1.5 with `quick`). */
  duration?: number;
  /** Seconds of discarded load before each. Default 1 (0.5 with `quick`). */
  warmup?: number;
  /** Concurrent connections of the load generator. Default 100. */
  connections?: number;
  /** Default `autocannon`. */
  generator?: GeneratorName;
  /** Threads (pool) and processes (cluster). Default: the backend's own default. */
  workers?: number;
  /** Seconds before a request counts as timed out. Default 10. */
  timeout?: number;
  seed?: number;
  /** CPU time per request under reactor, in ms, from which a route is flagged as blocking the event loop. Default 10. */
  blockingMs?: number;
  /** Write `results.json`, `results.md` and `report.html` here. Default: no files. */
  out?: string;
  /** Environment for every server process. */
  env?: Record<string, string>;
  progress?: ProgressMode;
  log?: (line: string) => void;
}

/** What one route showed. */
export interface RouteFinding {
  /** `GET /report?month=3` */
  route: string;
  scenario: string;
  /** `failed`: no model could be measured (see problems). */
  status: 'ok' | 'failed';
  problems: string[];
  /** Models that served it with at most 1% failed requests. */
  served: AppModelName[];
  /** CPU time per request under the reference (reactor), in ms: how long the handler holds the event loop, at most. */
  cpuMs?: number;
  /** `cpuMs` reached the blocking threshold. */
  blocking: boolean;
  /** The model with the most req/s; the reference when no other wins clearly. */
  winner?: AppModelName;
  /** The winner beat the reference by the margin and beyond the spread of the runs. */
  clear: boolean;
  /** Every model that did (see `CLEAR_GAIN`). */
  clearlyFaster: AppModelName[];
  /** Median req/s of each measured model over the reference's. */
  rpsRatio: Partial<Record<AppModelName, number>>;
  /** p99 of the probe while this route was loaded, per model. */
  probeP99Ms: Partial<Record<AppModelName, number>>;
}

export interface Recommendation {
  /** The model to use. */
  model: AppModelName;
  /** False when nothing won clearly and the reference (reactor) stands as the simplest. */
  clear: boolean;
  /** One line: the model and the measured reason. */
  reason: string;
  routes: RouteFinding[];
  /** Blocking handlers and routes that could not be measured, one line each. */
  warnings: string[];
}

export interface BenchAppResult {
  result: BenchResult;
  recommendation: Recommendation;
  /** Where the reports were written, when `out` was given. */
  out?: string;
}
