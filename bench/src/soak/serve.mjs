// Serves the stream app under one backend (argv[2]) in this process, and prints the port.
const backend = process.argv[2];
const { serve } = await import(`@switchyard/${backend}`);
const quiet = () => {};
const server = await serve({ app: new URL('./stream-app.mjs', import.meta.url), port: 0, workers: Number(process.argv[3] ?? 2), signals: false, logger: { error: quiet, warn: quiet, info: quiet } });
process.stdout.write(`${server.port}\n`);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
