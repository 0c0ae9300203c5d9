/**
 * What is running and how long remains, on standard error: a bar redrawn in
 * place on a terminal (or when forced with FORCE_PROGRESS=1), one plain
 * line per step otherwise, so logs and CI output stay readable.
 */
import { fmtDuration } from './format.js';
import type { ProgressMode } from './types.js';

export interface Progress {
  /** Announces the tasks to come and their estimated seconds. */
  plan(estimates: number[]): void;
  /** A task begins. */
  start(label: string): void;
  /** What the current task is doing; `seconds` shows a countdown. */
  phase(text: string, seconds?: number): void;
  /** The current task ended. */
  done(): void;
  /** A line that stays (a warning, a result). */
  log(line: string): void;
  /** Removes the bar. */
  finish(): void;
}

export function resolveProgressMode(mode: ProgressMode, stream: NodeJS.WriteStream = process.stderr): Exclude<ProgressMode, 'auto'> {
  if (mode !== 'auto') return mode;
  const forced = process.env.FORCE_PROGRESS;
  if (forced === '1' || forced === 'true') return 'bar';
  return stream.isTTY ? 'bar' : 'lines';
}

export function createProgress(mode: ProgressMode, write: (line: string) => void, stream: NodeJS.WriteStream = process.stderr): Progress {
  const resolved = resolveProgressMode(mode, stream);
  let estimates: number[] = [];
  let index = -1;
  let label = '';
  let phase = '';
  let phaseEnds = 0;
  const started = Date.now();
  let taskStarted = Date.now();
  let doneActual = 0;
  let doneEstimate = 0;
  let timer: NodeJS.Timeout | undefined;
  let drawn = false;

  /** Seconds left: estimates scaled by how far off they were so far. */
  const remaining = () => {
    const scale = doneEstimate > 0 ? Math.min(3, Math.max(0.5, doneActual / doneEstimate)) : 1;
    const current = index >= 0 ? Math.max(0, (estimates[index] ?? 0) * scale - (Date.now() - taskStarted) / 1000) : 0;
    const later = estimates.slice(index + 1).reduce((a, b) => a + b, 0) * scale;
    return current + later;
  };

  const status = () => {
    const countdown = phaseEnds > Date.now() ? ` ${Math.ceil((phaseEnds - Date.now()) / 1000)}s` : '';
    return `${label}${phase ? ` · ${phase}${countdown}` : ''}`;
  };

  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  const draw = () => {
    if (resolved !== 'bar' || index < 0) return;
    const total = estimates.length;
    const width = 24;
    const fraction = total ? Math.min(1, index / total) : 0;
    const filled = Math.round(fraction * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${index + 1}/${total} ${status()} · ${fmtDuration(remaining())} left`;
    const columns = stream.columns || 120;
    stream.write(`\r\x1b[2K${line.length > columns - 1 ? `${line.slice(0, columns - 2)}…` : line}`);
    drawn = true;
  };

  return {
    plan(list) {
      estimates = list;
      if (resolved === 'bar') {
        timer = setInterval(draw, 250);
        timer.unref();
      }
    },
    start(text) {
      index++;
      label = text;
      phase = '';
      phaseEnds = 0;
      taskStarted = Date.now();
      if (resolved === 'lines') write(`[${index + 1}/${estimates.length}, ~${fmtDuration(remaining())} left] ${label}`);
      draw();
    },
    phase(text, seconds) {
      phase = text;
      phaseEnds = seconds ? Date.now() + seconds * 1000 : 0;
      draw();
    },
    done() {
      doneActual += (Date.now() - taskStarted) / 1000;
      doneEstimate += estimates[index] ?? 0;
    },
    log(line) {
      if (resolved === 'bar') {
        clear();
        write(line);
        draw();
      } else write(line);
    },
    finish() {
      if (timer) clearInterval(timer);
      clear();
      if (resolved !== 'none') write(`done in ${fmtDuration((Date.now() - started) / 1000)}`);
    },
  };
}
