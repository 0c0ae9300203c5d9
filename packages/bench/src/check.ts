/**
 * Before any timing, a server must answer correctly: a server that answers
 * wrongly, or fast with errors, is not measured.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import type { Expectation, RequestSpec } from './types.js';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request on a fresh connection. For a stream, the body is what arrived in the first `streamMs`. */
export function fetchOnce(url: string, spec: RequestSpec, { stream = false, timeoutMs = 10_000, streamMs = 300 } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = spec.body === undefined ? undefined : typeof spec.body === 'string' ? Buffer.from(spec.body) : spec.body;
    const req = request(
      `${url}${spec.path}`,
      {
        method: spec.method ?? 'GET',
        agent: false,
        headers: { ...spec.headers, ...(body && { 'content-length': String(body.byteLength) }) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        const done = () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (stream && !streamTimer) streamTimer = setTimeout(() => (done(), res.destroy()), streamMs);
        });
        res.on('end', done);
        res.on('error', reject);
        // A stream may send its head and nothing more for a while.
        if (stream) streamTimer = setTimeout(() => (done(), res.destroy()), streamMs * 3);
      },
    );
    let streamTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}

function subsetProblems(expected: Record<string, unknown>, actual: unknown): string[] {
  if (actual === null || typeof actual !== 'object') return [`body is not a JSON object`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(expected)) {
    const got = (actual as Record<string, unknown>)[key];
    if (JSON.stringify(got) !== JSON.stringify(value)) problems.push(`JSON "${key}" is ${JSON.stringify(got)}, expected ${JSON.stringify(value)}`);
  }
  return problems;
}

/** Why `answer` does not meet `expect`; empty when it does. */
export function answerProblems(answer: Answer, expect: Expectation = {}): string[] {
  const problems: string[] = [];
  const status = expect.status ?? 200;
  const preview = () => JSON.stringify(answer.body.subarray(0, 120).toString('utf8'));
  if (answer.status !== status) problems.push(`status ${answer.status}, expected ${status} (body ${preview()})`);
  const text = () => answer.body.toString('utf8');
  if (expect.bodyIncludes !== undefined && !text().includes(expect.bodyIncludes)) {
    problems.push(`body ${preview()} does not contain ${JSON.stringify(expect.bodyIncludes)}`);
  }
  if (expect.bodyMatches !== undefined) {
    const pattern = typeof expect.bodyMatches === 'string' ? new RegExp(expect.bodyMatches) : expect.bodyMatches;
    if (!pattern.test(text())) problems.push(`body ${preview()} does not match ${pattern}`);
  }
  if (expect.bodyBytes !== undefined && answer.body.byteLength !== expect.bodyBytes) {
    problems.push(`body is ${answer.body.byteLength} bytes, expected ${expect.bodyBytes}`);
  }
  if (expect.bodySha256 !== undefined) {
    const sha = createHash('sha256').update(answer.body).digest('hex');
    if (sha !== expect.bodySha256) problems.push(`body SHA-256 is ${sha}, expected ${expect.bodySha256}`);
  }
  if (expect.json !== undefined) {
    try {
      problems.push(...subsetProblems(expect.json, JSON.parse(text())));
    } catch {
      problems.push(`body ${preview()} is not JSON`);
    }
  }
  for (const [name, want] of Object.entries(expect.headers ?? {})) {
    const raw = answer.headers[name.toLowerCase()];
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    const ok = value !== undefined && (typeof want === 'string' ? value.includes(want) : want.test(value));
    if (!ok) problems.push(`header ${name} is ${JSON.stringify(value)}, expected ${typeof want === 'string' ? JSON.stringify(want) : want}`);
  }
  return problems;
}

/** Sends `spec` once and returns why the answer is wrong (empty when right). */
export async function checkAnswer(url: string, spec: RequestSpec, expect: Expectation = {}, timeoutMs = 10_000): Promise<string[]> {
  try {
    for (let tries = 1; ; tries++) {
      const answer = await fetchOnce(url, spec, { stream: expect.stream === true, timeoutMs });
      const wait = retryAfterMs(answer, expect);
      // A server that sheds load (a stall right after it starts, past its limit) says when to come back: a client would.
      if (wait === undefined || tries === CHECK_TRIES) return answerProblems(answer, expect);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  } catch (error) {
    return [`${spec.method ?? 'GET'} ${spec.path} failed: ${(error as Error).message}`];
  }
}

/** Tries of the check when the server answers 503 with Retry-After. */
const CHECK_TRIES = 3;
/** The longest Retry-After the check waits for. */
const MAX_RETRY_AFTER_S = 5;

/** How long to wait before asking again: a 503 with a Retry-After in seconds, where 503 is not the answer expected. */
function retryAfterMs(answer: Answer, expect: Expectation): number | undefined {
  if (answer.status !== 503 || (expect.status ?? 200) === 503) return undefined;
  const header = answer.headers['retry-after'];
  const seconds = typeof header === 'string' && /^\d+$/.test(header.trim()) ? Number(header) : undefined;
  return seconds !== undefined && seconds <= MAX_RETRY_AFTER_S ? seconds * 1000 : undefined;
}
