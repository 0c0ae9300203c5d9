/// <reference types="node" preserve="true" />
/**
 * @switchyard/bench: runs an app under every concurrency model with the same
 * load, on the same machine, in one run, and reports which wins. Its types
 * are Node's: the reference above loads @types/node, or names it as missing.
 */
export type {
  AppModelName,
  AttachedServer,
  BenchAppOptions,
  BenchAppResult,
  BenchOptions,
  BenchResult,
  ClassicModelResult,
  ClassicOptions,
  ClassicResult,
  ClassicSample,
  ContenderName,
  ContenderSpec,
  Expectation,
  GeneratorName,
  IdleScenario,
  IdleSample,
  IsolationCell,
  IsolationRatios,
  LoadResult,
  LiveOptions,
  LiveServerStats,
  LiveTick,
  LoadScenario,
  ModelName,
  ModelResult,
  ModelSummary,
  ModelTarget,
  PairRatio,
  PairSpec,
  PinOptions,
  ProbeSample,
  ProbeSpec,
  ProgressMode,
  QuietOptions,
  Recommendation,
  Ratios,
  RequestSpec,
  RouteFinding,
  Sample,
  Scenario,
  ScenarioResult,
  SequentialOptions,
  SystemInfo,
  TreeUsage,
} from './types.js';
export { runBench } from './run/index.js';
export { benchApp, benchAppOptions, DEFAULT_APP_MODELS, kQuickProfile } from './app/bench-app.js';
export { runBenchCommand, type CommandIO } from './app/command.js';
export { recommend, PROBE_GAIN } from './app/recommend.js';
export { routeFinding, BLOCKING_MS, CLEAR_GAIN } from './app/findings.js';
export { parseRoute, routeLabel } from './app/routes.js';
export { appReport, appTable } from './app/print.js';
export { startProbe, PROBE_EVERY_MS, type Probe, type ProbeOptions } from './load/probe.js';
export {
  resolveBenchOptions,
  kDefaultBenchOptions,
  kDefaultSequential,
  kDefaultClassic,
  kDefaultQuiet,
  GENERATORS,
  type ResolvedBenchOptions,
} from './options.js';
export { pairRatios } from './run/pairs.js';
export { idleShare, waitForQuiet } from './run/quiet.js';
export { MODELS, MODEL_NOTES, contenderNote } from './models.js';
export { MAX_ERROR_RATE, MIN_IDLE_HELD } from './run/summarize.js';
export { checkAnswer, answerProblems, fetchOnce, type Answer } from './check.js';
export { createGenerator, findAb, parseAb, parseWrk, which, type Ab, type Generator, type LoadCounts, type LoadSettings } from './load/index.js';
export { startModel, serverSpec, contenderSpec, type ModelProcess, type LaunchOptions } from './server/launch.js';
export type { ServerSpec } from './server/spec.js';
export { LIVE_EVERY_MS, worstLoopDelay } from './run/live.js';
export { planPinning, pinProcess, cpuList, type Pinning } from './proc/pin.js';
export { startIdleClient, type IdleClient, type IdleCounts } from './load/idle.js';
export { treeUsage, processTree, procAvailable } from './proc/tree.js';
export { writeReports, REPORT_FILES } from './report/write.js';
export { markdownReport } from './report/markdown.js';
export { escapeHtml, htmlReport, htmlTable, REPORT_STYLE } from './report/html.js';
export { chartJsSource } from './report/chart-source.js';
export type { Table } from './report/tables.js';
export { validateResult, validateReportDir, failedModels } from './report/validate.js';
export { compareResults, compareMarkdown, readResult, type Comparison, type CompareRow, type CompareOptions, type Verdict } from './report/compare.js';
export { createProgress, type Progress } from './progress.js';
export { systemInfo } from './system.js';
export { median, min, max, spread, random, shuffle } from './stats.js';
export { fmtInt, fmtFixed, fmtMiB, fmtKiB, fmtMs, fmtNs, fmtPct, fmtDuration, markdownTable } from './format.js';
