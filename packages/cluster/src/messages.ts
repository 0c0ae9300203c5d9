/**
 * What crosses the IPC channel between the primary and each process, as
 * JSON. Channel messages travel inside as `v8.serialize` bytes (base64), so
 * they arrive as `structuredClone` would leave them; the primary relays them
 * without decoding. `type` tells the kinds apart.
 */
import type { LoopStats, ResolvedLimits, UnhandledErrors } from '@switchyard/core';
import type { HealthPaths, LogLevel, MetricJson, MetricsTarget } from '@switchyard/core/node';
import type { ErrorData, WireValue } from './wire.js';

/** What a process needs to start, passed in its environment as JSON. */
export interface WorkerInit {
  /** The process slot, 1..N: `ctx.workerId`. A replacement takes over its slot's id. */
  workerId: number;
  /** The app module's URL, resolved by the primary. */
  app: string;
  host: string;
  /** The port and URL the primary listens on; handlers see them in `request.url`. */
  port: number;
  url: string;
  limits: ResolvedLimits;
  graceMs: number;
  fastGlobals: boolean;
  unhandledErrors: UnhandledErrors;
  healthPaths: string[];
  heartbeatIntervalMs: number;
  /** Requests after which the process asks to be recycled; 0 for never. */
  maxRequests: number;
  /** Where `/metrics` is served (a port: by the primary); undefined when off. */
  metrics: MetricsTarget | undefined;
  /** Access logs: each process writes its own lines to the shared stdout. */
  log: LogLevel | undefined;
  health: HealthPaths | undefined;
}

export const INIT_ENV = 'SWITCHYARD_CLUSTER_WORKER';

// Primary -> process.

/** An accepted connection; its socket travels as the message's handle. */
export interface ConnMessage {
  type: 'conn';
  id: number;
}

/** A channel message published in another process. */
export interface DeliverMessage {
  type: 'deliver';
  channel: string;
  /** The message, `v8.serialize`d and base64-encoded. */
  data: string;
}

export interface StatsRequest {
  type: 'stats';
  id: number;
}

/** Stop taking connections, finish what is in flight within `graceMs`, run teardown, exit. */
export interface DrainMessage {
  type: 'drain';
  graceMs: number;
  /** Another process takes this one's place (a reload, recycling): its WebSockets close with 1012, not 1001. */
  restart?: boolean;
}

/** Why the server is not ready (null when it is), as the primary sees it; sent whenever it changes. */
export interface ReadinessMessage {
  type: 'readiness';
  notReady: string | null;
}

/** The merged `/metrics` a process asked for. */
export interface ScrapeReply {
  type: 'scrape';
  id: number;
  body: string;
  contentType: string;
}

export type ToWorker = ConnMessage | DeliverMessage | StatsRequest | DrainMessage | ReadinessMessage | ScrapeReply;

// Process -> primary.

/** The process listens for IPC messages: the primary may send now. */
export interface HelloMessage {
  type: 'hello';
}

/** The app is loaded and `setup` ran: the process may take connections. */
export interface ReadyMessage {
  type: 'ready';
}

/** Loading the app or `setup` failed; the process exits next. */
export interface FailedMessage {
  type: 'failed';
  error: ErrorData;
}

/** Sent every `heartbeatIntervalMs` from the event loop, and at once when `maxRequests` is reached. */
export interface HeartbeatMessage {
  type: 'heartbeat';
  requests: number;
  rssBytes: number;
}

/** The process owns the connection now; the primary drops its copy of the socket. */
export interface AckMessage {
  type: 'ack';
  id: number;
}

export interface PublishMessage {
  type: 'publish';
  channel: string;
  /** The message, `v8.serialize`d and base64-encoded. */
  data: string;
}

export interface LogMessage {
  type: 'log';
  level: 'error' | 'warn' | 'info';
  args: WireValue[];
}

/** One process's figures, for `stats()`. */
export interface ProcessFigures {
  requests: number;
  inFlight: number;
  rejected: number;
  eventLoop: LoopStats;
  rssBytes: number;
  /** WebSockets open in the process, when the app takes them. */
  websockets?: number;
}

export interface StatsReply {
  type: 'stats';
  id: number;
  figures: ProcessFigures;
}

/** This process's figures for `/metrics`, sent every METRICS_INTERVAL_MS and once more before it exits. */
export interface MetricsReport {
  type: 'metrics';
  metrics: MetricJson[];
}

/** A client asked this process for `/metrics` (the path on the server's port): the primary merges every process. */
export interface ScrapeRequest {
  type: 'scrape';
  id: number;
  openMetrics: boolean;
}

/** Drained and torn down; the process exits next. */
export interface ClosedMessage {
  type: 'closed';
  requests: number;
}

export type ToPrimary =
  | HelloMessage
  | ReadyMessage
  | FailedMessage
  | HeartbeatMessage
  | AckMessage
  | PublishMessage
  | LogMessage
  | StatsReply
  | MetricsReport
  | ScrapeRequest
  | ClosedMessage;
