// Serves a soak app (argv[4], default the stream app) under one backend (argv[2]) with argv[3] workers in this process, and prints the port.
// SOAK_SERVE_OPTIONS (JSON) adds serve() options, e.g. limits.
const [backend, workers = '2', app = './stream-app.mjs'] = process.argv.slice(2);
const { serve } = await import(`@switchyard/${backend}`);
const quiet = () => {};
const server = await serve({
  app: new URL(app, import.meta.url),
  port: 0,
  workers: Number(workers),
  signals: false,
  logger: { error: quiet, warn: quiet, info: quiet },
  ...JSON.parse(process.env.SOAK_SERVE_OPTIONS ?? '{}'),
});
process.stdout.write(`${server.port}\n`);
process.on('SIGTERM', () => server.close({ graceMs: 0 }).then(() => process.exit(0)));
