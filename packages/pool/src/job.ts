import type { IncomingMessage, ServerResponse } from 'node:http';
import { CHEAP, CHEAP_MS, UNKNOWN, type CostClass } from './costs.js';
import { FAST_LANE, SLOW_LANE, UNSURE_LANE, type Lane, type Queued } from './queue.js';
import type { RequestMessage } from './messages.js';
import type { StreamSink } from './respond.js';
import type { ThreadHandle } from './thread.js';

/** Where a request is, as the main thread sees it. */
export const RECEIVING = 0;
export const QUEUED = 1;
export const RUNNING = 2;
export const STREAMING = 3;
export const CLOSED = 4;
type JobState = typeof RECEIVING | typeof QUEUED | typeof RUNNING | typeof STREAMING | typeof CLOSED;

/** The lane a request of this class and expected cost waits in: see queue.ts. */
function laneOf(cls: CostClass, expected: number): Lane {
  return cls === CHEAP ? FAST_LANE : cls === UNKNOWN || expected < CHEAP_MS ? UNSURE_LANE : SLOW_LANE;
}

/** One request on the main thread, from its head arriving to its last byte out. */
export class Job implements Queued {
  readonly id: number;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** `performance.now()` when the head arrived; the request timeout counts from here. */
  readonly arrivedAt: number;
  readonly route: string;
  /** The route's expected cost when the request arrived (or when its route was learnt while it waited), in milliseconds. */
  expected: number;
  /** How the scheduler treats it: known cheap, heavy (known or seen expensive), or unknown (route never seen). */
  cls: CostClass;
  /** Where it waits in the queue, if it has to. */
  lane: Lane;
  state: JobState = RECEIVING;
  message: RequestMessage | undefined;
  /** When the body was in and the request ready for a thread. */
  readyAt = 0;
  thread: ThreadHandle | undefined;
  /** Its place in its thread's order (see `SessionProgress.started`), and when it was sent there. */
  seq = 0;
  sentAt = 0;
  /** Whether a body went with it: such a request cannot be sent again, its buffer was transferred. */
  hadBody = false;
  sink: StreamSink | undefined;
  /** The client has its answer or left; the thread may still be working on it. */
  answered = false;
  /** Counted out of `inFlight` already. */
  finished = false;
  /** Seen holding its thread long enough to count as expensive before it answered. */
  observed = false;
  /** Ran past the request timeout while its body was still arriving. */
  expired = false;

  constructor(id: number, req: IncomingMessage, res: ServerResponse, arrivedAt: number, route: string, expected: number, cls: CostClass) {
    this.id = id;
    this.req = req;
    this.res = res;
    this.arrivedAt = arrivedAt;
    this.route = route;
    this.expected = expected;
    this.cls = cls;
    this.lane = laneOf(cls, expected);
  }

  /** Its route was learnt while it waited: it is treated, and waits, as a request of that route arriving now would. */
  learnt(cls: CostClass, expected: number): void {
    this.cls = cls;
    this.expected = expected;
    this.lane = laneOf(cls, expected);
  }

  get waiting(): boolean {
    return this.state === QUEUED;
  }
}
