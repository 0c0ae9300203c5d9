/** Installs Debian's redis-server when the machine lacks it. */
export function ensureRedisServer(): void;

/** A real redis-server on a free loopback port, that a test can stop and start again on the same port. */
export class RedisServer {
  readonly port: number;
  static start(): Promise<RedisServer>;
  get url(): string;
  resume(): Promise<void>;
  stop(): Promise<void>;
}
