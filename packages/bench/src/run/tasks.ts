/** One task of the plan: a timed run, or an Apache Bench run, recorded into the result. */
import { fmtInt, fmtKiB, fmtMs } from '../format.js';
import type { Ab } from '../load/ab.js';
import type { ClassicResult, ContenderName, ScenarioResult } from '../types.js';
import { measureClassic } from './classic.js';
import type { RunContext } from './context.js';
import { WrongAnswer } from './errors.js';
import { scenarioLabel } from './label.js';
import { measure } from './measure.js';
import type { Task } from './plan.js';
import type { ServerSet } from './servers.js';

function describeError(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

export async function runLoadTask(ctx: RunContext, servers: ServerSet, result: ScenarioResult, task: Task & { kind: 'load' }): Promise<void> {
  const { scenario, model, round } = task;
  const label = scenarioLabel(scenario);
  const entry = result.models[model]!;
  ctx.current = entry;
  if (entry.status !== 'ok') return;
  try {
    const proc = await servers.get(model);
    try {
      const sample = await measure(ctx, proc, scenario, round);
      entry.samples.push(sample);
      const failed = sample.errors + sample.non2xx + sample.timeouts;
      ctx.progress.log(
        `  ${label.padEnd(10)} ${model.padEnd(10)} run ${round}: ${fmtInt(sample.rps)} req/s, p99 ${fmtMs(sample.p99Ms)}` +
          `${failed ? `, errors ${sample.errors} non-2xx ${sample.non2xx} timeouts ${sample.timeouts}` : ''}` +
          `${sample.idle ? `, idle held ${sample.idle.held}/${sample.idle.requested}, ${fmtKiB(sample.idle.bytesPerConnection)} each` : ''}`,
      );
    } finally {
      await servers.release(model);
    }
  } catch (error) {
    if (error instanceof WrongAnswer) {
      entry.status = 'failed';
      entry.problems.push(...error.problems);
      ctx.progress.log(`  ${label} ${model}: WRONG ANSWER, not timed: ${error.message}`);
    } else {
      entry.problems.push(`run ${round}: ${describeError(error)}`);
      ctx.progress.log(`  ${label} ${model} run ${round} failed: ${describeError(error)}`);
      // Whatever broke, the next run gets a fresh process.
      await servers.stop(model).catch(() => {});
    }
  }
}

export async function runClassicTask(ctx: RunContext, servers: ServerSet, ab: Ab, classic: ClassicResult, model: ContenderName, round: number): Promise<void> {
  const entry = classic.models[model]!;
  if (entry.status !== 'ok') return;
  try {
    const proc = await servers.get(model);
    try {
      const sample = await measureClassic(ctx, ab, proc, round);
      entry.samples.push(sample);
      ctx.progress.log(
        `  ab ${model.padEnd(10)} run ${round}: ${fmtInt(sample.rps)} req/s, failed ${sample.failed}/${classic.requests}, longest ${fmtMs(sample.maxMs)}`,
      );
    } finally {
      await servers.release(model);
    }
  } catch (error) {
    if (error instanceof WrongAnswer) {
      entry.status = 'failed';
      entry.problems.push(...error.problems);
    } else {
      entry.problems.push(`run ${round}: ${describeError(error)}`);
      await servers.stop(model).catch(() => {});
    }
    ctx.progress.log(`  ab ${model}: ${describeError(error)}`);
  }
}
