/** srvx serving one of the Fetch apps (`app`: its module under ../apps), as its README shows, minus the signal handlers the engine owns. */
import { serve } from 'srvx';
import { appModule } from './listen.mjs';

export default async function start({ host, port, app }) {
  const { fetch } = await appModule(app);
  const server = serve({ fetch, port, hostname: host, silent: true, gracefulShutdown: false });
  await server.ready();
  return { url: `http://${host}:${server.node.server.address().port}`, close: () => server.close(true) };
}
