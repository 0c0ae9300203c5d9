/**
 * Keeps one server process running for the CLI: restarts it when it exits
 * (with back-off, and a crash-loop stop), kills it when its heartbeats stop
 * (an event loop stuck in a synchronous loop), and on SIGTERM or SIGINT asks
 * it to drain, killing it once the grace period is over even if it cannot
 * listen. The process binds its port itself, so serving costs nothing
 * extra; while it restarts, new connections to the port are refused.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RestartPolicy } from './restart-policy.js';
import type { Logger } from './types.js';

/** Set in the supervised process's environment: it then reports to its supervisor (supervised-child.ts). */
export const SUPERVISED_ENV = 'SWITCHYARD_SUPERVISED';

/** Messages the supervised process sends. */
/** `ready` carries the port the server bound, so a restart asked for port 0 binds the same one. */
export type FromChild = { t: 'ready'; port: number } | { t: 'beat' } | { t: 'fatal' };

export interface SupervisorOptions {
  /** The module to run and its arguments (the CLI itself). */
  module: string;
  args: string[];
  graceMs: number;
  /** Silence after which the process counts as stuck and is killed. */
  watchdogMs: number;
  logger: Logger;
  /** The app, for the check a reload (SIGHUP) runs before it restarts the server. */
  app: string;
  restartDelayMs?: number;
  maxRestartDelayMs?: number;
  /** A process that dies sooner than this after starting counts as a quick failure. */
  minUptimeMs?: number;
  crashLoopLimit?: number;
}

export const kSupervisorDefaults = { restartDelayMs: 100, maxRestartDelayMs: 10_000, minUptimeMs: 5_000, crashLoopLimit: 5 };

/** Runs `module` under supervision until a signal stops it; resolves with the exit code to use. */
export function supervise(options: SupervisorOptions): Promise<number> {
  const settings = { ...kSupervisorDefaults, ...options };
  const { logger } = options;
  const policy = new RestartPolicy(settings);
  return new Promise((resolveExit) => {
    let child: ChildProcess | undefined;
    let startedAt = 0;
    let lastBeat = 0;
    let ready = false;
    let everReady = false;
    let fatal = false;
    let stopping: number | undefined;
    let respawn: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    /** A reload is under way: checking the app, or waiting for the old server to drain. */
    let reloading = false;
    let boundPort: number | undefined;
    let replacing = false;

    const watchdog = setInterval(
      () => {
        if (!child || !ready || stopping !== undefined) return;
        const silentMs = Date.now() - lastBeat;
        if (silentMs <= options.watchdogMs) return;
        logger.error(
          `[switchyard] supervisor: the server (pid ${child.pid}) sent no heartbeat for ${silentMs} ms: its event loop is stuck. Killing it and starting another.`,
        );
        child.kill('SIGKILL');
      },
      Math.max(10, Math.min(1_000, Math.floor(options.watchdogMs / 4))),
    );

    const finish = (code: number) => {
      clearInterval(watchdog);
      clearTimeout(respawn);
      clearTimeout(killTimer);
      for (const signal of SIGNALS) process.off(signal, onSignal);
      process.off('SIGHUP', onHangup);
      resolveExit(code);
    };

    const spawn = () => {
      respawn = undefined;
      ready = false;
      fatal = false;
      startedAt = Date.now();
      // Its own process group: a terminal's Ctrl-C reaches only the supervisor, which then asks for one drain.
      // After a first start on port 0, later ones take the port it got: clients keep their address.
      const args = boundPort === undefined ? options.args : [...options.args, '--port', String(boundPort)];
      const current = fork(options.module, args, { env: { ...process.env, [SUPERVISED_ENV]: '1' }, stdio: 'inherit', detached: true });
      child = current;
      current.on('message', (message: FromChild) => {
        if (message?.t === 'beat') lastBeat = Date.now();
        else if (message?.t === 'ready') {
          ready = everReady = true;
          boundPort ??= message.port;
          lastBeat = Date.now();
        } else if (message?.t === 'fatal') fatal = true;
      });
      current.once('exit', (code, signal) => {
        child = undefined;
        if (stopping !== undefined) return finish(code ?? stopping);
        if (replacing) {
          replacing = false;
          clearTimeout(killTimer);
          return spawn();
        }
        // Nothing has served yet, or the process says no retry can help (a bad app, a taken port): stop, as a plain run would.
        if (!everReady || fatal) return finish(code || 1);
        const decision = policy.died(!ready || Date.now() - startedAt < settings.minUptimeMs);
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        if (decision.crashLoop) {
          logger.error(`[switchyard] supervisor: the server ${how}, its ${decision.failures}th quick failure in a row: giving up (crash loop).`);
          return finish(code || 1);
        }
        logger.error(`[switchyard] supervisor: the server ${how}; starting another in ${decision.delayMs} ms.`);
        respawn = setTimeout(spawn, decision.delayMs);
      });
    };

    const onSignal = (signal: NodeJS.Signals) => {
      const code = signal === 'SIGINT' ? 130 : 143;
      if (stopping !== undefined || !child) {
        // A second signal, or nothing running: stop now.
        child?.kill('SIGKILL');
        return finish(code);
      }
      stopping = 0;
      child.kill('SIGTERM');
      // A process stuck in a synchronous loop cannot run its handler: the grace period still holds.
      killTimer = setTimeout(() => child?.kill('SIGKILL'), options.graceMs + 1_000);
    };
    // SIGHUP reloads, as under pool and cluster: the app is checked in a
    // process of its own first, so one that no longer loads leaves the
    // server serving; then the server drains and a new one starts. The
    // port refuses connections between the two.
    const onHangup = () => {
      if (reloading || stopping !== undefined || !child) return;
      reloading = true;
      logger.info('[switchyard] SIGHUP: reloading: checking that the app loads, then restarting the server');
      checkApp(options.app).then((loads) => {
        reloading = false;
        if (!loads) return logger.error('[switchyard] reload stopped: the app does not load (see above); the server serves it as it was');
        if (stopping !== undefined || !child) return;
        replacing = true;
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child?.kill('SIGKILL'), options.graceMs + 1_000);
      });
    };
    for (const signal of SIGNALS) process.on(signal, onSignal);
    process.on('SIGHUP', onHangup);
    spawn();
  });
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
const CHECK_APP = fileURLToPath(new URL('./check-app.js', import.meta.url));

/** Whether `app` loads, in a process of its own with this one's flags; its errors go to stderr. */
function checkApp(app: string): Promise<boolean> {
  return new Promise((resolve) => {
    const check = fork(CHECK_APP, [app], { stdio: 'inherit' });
    check.once('error', () => resolve(false));
    check.once('exit', (code) => resolve(code === 0));
  });
}
