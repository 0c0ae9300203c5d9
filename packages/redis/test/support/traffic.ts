import type { RunningServer } from '@switchyard/core';

export interface Published {
  /** Index of the instance that published it. */
  instance: number;
  text: string;
}

/**
 * Two loops per server, each sending a GET and then a publish, with a short
 * pause between rounds so the receipt files stay small. Each message's text
 * starts with what `phase()` said when it was sent, so a test can tell the
 * messages published before, during and after an outage apart.
 */
export function traffic(servers: RunningServer[], phase: () => string): { stop: () => Promise<{ published: Published[]; failed: string[] }> } {
  let running = true;
  const published: Published[] = [];
  const failed: string[] = [];
  const loops = servers.flatMap((server, instance) =>
    [0, 1].map(async (loop) => {
      for (let n = 0; running && n < 2_000; n++) {
        const text = `${phase()} ${instance}.${loop}.${n}`;
        try {
          const get = await fetch(`${server.url}/`);
          if ((await get.text()) !== 'ok') failed.push(`${server.backend} GET: ${get.status}`);
          const post = await fetch(`${server.url}/publish?m=${encodeURIComponent(text)}`, { method: 'POST' });
          if ((await post.text()) === 'published') published.push({ instance, text });
          else failed.push(`${server.backend} publish: ${post.status}`);
        } catch (error) {
          failed.push(`${server.backend}: ${String((error as Error).cause ?? error)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }),
  );
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { published, failed };
    },
  };
}
