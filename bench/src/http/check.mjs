/**
 * Before any timing, each server must answer correctly. Its head (Date
 * aside) is also kept, so the report can show that every contender writes
 * the same bytes, or say where they differ.
 */
import { request } from 'node:http';
import { EXPECTED } from './contenders.mjs';

function get(url) {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/`, { agent: false, headers: { connection: 'keep-alive' } }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(5_000, () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
    req.end();
  });
}

/** The head as `name: value` lines, lower-cased names, without Date. */
function headLines(rawHeaders) {
  const lines = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (name !== 'date') lines.push(`${name}: ${rawHeaders[i + 1]}`);
  }
  return lines;
}

/** Returns `{ ok, problems, head }`; problems are why the answer is wrong. */
export async function checkContender(url) {
  const problems = [];
  let answer;
  try {
    answer = await get(url);
  } catch (error) {
    return { ok: false, problems: [`request failed: ${error.message}`], head: [] };
  }
  if (answer.status !== EXPECTED.status) problems.push(`status ${answer.status}, expected ${EXPECTED.status}`);
  if (answer.body !== EXPECTED.body) problems.push(`body ${JSON.stringify(answer.body)}, expected ${JSON.stringify(EXPECTED.body)}`);
  const head = headLines(answer.rawHeaders);
  for (const [name, value] of Object.entries(EXPECTED.headers)) {
    if (name === 'content-length') continue; // a chunked answer is still a correct one; compared below
    if (!head.includes(`${name}: ${value}`)) problems.push(`no "${name}: ${value}" header`);
  }
  return { ok: problems.length === 0, problems, head };
}

/** Lines in `head` and not in `baseline`, and the reverse. */
export function headDiff(head, baseline) {
  return {
    extra: head.filter((line) => !baseline.includes(line)),
    missing: baseline.filter((line) => !head.includes(line)),
  };
}
