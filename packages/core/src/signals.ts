const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * On SIGTERM or SIGINT, closes gracefully and then exits. A second signal
 * while closing exits at once. Returns a function that removes the handlers,
 * which `close()` calls so servers in tests leave no listeners behind.
 */
export function onShutdownSignals(close: () => Promise<void>, logger: { info(...args: unknown[]): void }): () => void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) {
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    closing = true;
    logger.info(`[switchyard] ${signal}: closing, waiting for in-flight requests`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('[switchyard] shutdown failed', error);
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of SIGNALS) process.off(signal, handler);
  };
}

/**
 * On SIGHUP, runs `reload` and logs its start (`starting`), then that
 * `name` is done or stopped and why. Returns a function that removes the
 * handler. Pool and cluster reload this way; the reactor's supervisor too.
 */
export function onReloadSignal(
  reload: () => Promise<void>,
  logger: { info(...args: unknown[]): void; error(...args: unknown[]): void },
  name: string,
  starting: string,
): () => void {
  const handler = () => {
    logger.info(`[switchyard] SIGHUP: ${starting}`);
    reload().then(
      () => logger.info(`[switchyard] ${name} done`),
      (error: Error) => logger.error(`[switchyard] ${name} stopped: ${error.message}`),
    );
  };
  process.on('SIGHUP', handler);
  return () => {
    process.off('SIGHUP', handler);
  };
}

/**
 * While a server starts, before its own handlers are in place: a SIGTERM
 * or SIGINT is kept, and sent again once the server has started, which
 * then closes gracefully and exits 0. A second one, or a start still going
 * `graceMs` after the first, exits at once (143 or 130), as the default
 * action would have. A SIGHUP is kept the same way and reloads once
 * started. Returns the function to call once started: it removes these
 * handlers and sends what was kept.
 */
export function holdSignalsWhileStarting(graceMs: number, logger: { info(...args: unknown[]): void; error(...args: unknown[]): void }): () => void {
  let stop: NodeJS.Signals | undefined;
  let hangup = false;
  let timer: NodeJS.Timeout | undefined;
  const onStop = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? 130 : 143;
    if (stop) process.exit(code);
    stop = signal;
    logger.info(`[switchyard] ${signal} while starting: closing once started`);
    timer = setTimeout(() => {
      logger.error(`[switchyard] not started within graceMs (${graceMs} ms) of ${signal}: exiting`);
      process.exit(code);
    }, graceMs);
  };
  const onHangup = () => {
    if (!hangup) logger.info('[switchyard] SIGHUP while starting: reloading once started');
    hangup = true;
  };
  for (const signal of SIGNALS) process.on(signal, onStop);
  process.on('SIGHUP', onHangup);
  return () => {
    clearTimeout(timer);
    for (const signal of SIGNALS) process.off(signal, onStop);
    process.off('SIGHUP', onHangup);
    if (stop) process.kill(process.pid, stop);
    else if (hangup) process.kill(process.pid, 'SIGHUP');
  };
}
