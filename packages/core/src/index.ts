export type {
  App,
  AppContext,
  BackendModule,
  BackendName,
  Channel,
  ChannelBridge,
  ChannelBridgeStats,
  CloseOptions,
  Limits,
  Logger,
  LoopStats,
  RunningServer,
  ServerWebSocket,
  UpgradeOptions,
  WebSocketData,
  WebSocketHandler,
  WebSocketReadyState,
  ServeByNameOptions,
  ServeOptions,
  ServerStats,
  WorkerStats,
  UnhandledErrors,
} from './types.js';
export { SwitchyardError, invalidOption, listenFailed, portInUse, type SwitchyardErrorCode } from './errors.js';
export { FastResponse } from './response.js';
export { serve, loadBackend } from './serve.js';
export { resolveOptions, resolveBackend, BACKENDS, kDefaultLimits, kDefaultOptions, type ResolvedOptions, type ResolvedLimits } from './options.js';
export { loadApp, appUrl } from './load-app.js';
export { ChannelHub, type ChannelTransport } from './channel.js';
export { RequestContext, createSetupContext, clientGone, requestTimedOut, serverShuttingDown, type ClientWatcher, type ContextBase } from './context.js';
export { LoopMonitor, RequestCounters } from './stats.js';
export { onReloadSignal, onShutdownSignals } from './signals.js';
export { delegateToNativeRequest, collectBytes, bytesToArrayBuffer, bytesToText, LazyBody, toBytes } from './lazy-request.js';
export { NativeRequest, NativeResponse } from './natives.js';
export { useFastGlobals, fastGlobalsOn } from './globals.js';
export { RestartPolicy, type BackoffOptions, type RestartDecision } from './restart-policy.js';
export { metricsRegistry } from './ops/app-metrics.js';
