/** Listens with a node:http server and gives the engine what it asks of a server module: `{ url, close() }`. */
export async function listen(server, { host, port }, onClose) {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    url: `http://${host}:${server.address().port}`,
    async close() {
      const closed = new Promise((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await onClose?.();
    },
  };
}

/** An app module of ../apps by name. */
export async function appModule(name) {
  if (!/^[a-z0-9-]+$/.test(name ?? '')) throw new TypeError(`app must name a module of bench/src/peers/apps (got ${JSON.stringify(name)})`);
  return (await import(`../apps/${name}.mjs`)).default;
}
