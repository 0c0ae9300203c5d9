import type { Route } from '../route.js';
import { StatsBoard } from './board.js';
import { STATS_CHANNEL, type WorkerFigures } from './figures.js';
import { PUBLISH_EVERY_MS, startPublisher } from './publisher.js';
import { eventStream } from '../sse.js';

let stopPublisher: (() => void) | undefined;

/**
 * `GET /stats/events`: every second, the latest figures of every context.
 * Whichever thread or process serves this stream hears the others through the
 * channel (between threads under pool, through the primary under cluster).
 */
export const statsStream: Route = {
  path: '/stats/events',
  methods: ['GET'],
  example: '/stats/events',
  summary: 'Server-sent events: every worker’s requests/s, p99 and event-loop figures, once a second.',
  // Every context publishes its figures whether or not anyone watches: a stream may open on any of them.
  setup(ctx) {
    stopPublisher?.();
    stopPublisher = startPublisher(ctx);
  },
  teardown() {
    stopPublisher?.();
    stopPublisher = undefined;
  },
  handle(_request, ctx) {
    return eventStream(ctx.signal, ({ send }) => {
      const board = new StatsBoard(ctx.backend);
      const unsubscribe = ctx.channel<WorkerFigures>(STATS_CHANNEL).subscribe((figures) => board.add(figures));
      const timer = setInterval(() => send('stats', board.snapshot()), PUBLISH_EVERY_MS);
      timer.unref();
      return () => {
        clearInterval(timer);
        unsubscribe();
      };
    });
  },
};
