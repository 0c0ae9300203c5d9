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
