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
