import { describe, expect, it } from 'vitest';
import { answerProblems, parseAb, parseWrk } from '@switchyard/bench';

const WRK = `Running 3s test @ http://127.0.0.1:4000/hello
  1 threads and 100 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.68ms    1.01ms  47.11ms   89.22%
    Req/Sec    35.40k     1.20k   38.19k    70.00%
  Latency Distribution
     50%    2.68ms
     75%    3.01ms
     90%    3.50ms
     99%    5.19ms
  105990 requests in 3.00s, 14.55MB read
  Socket errors: connect 0, read 2, write 0, timeout 7
  Non-2xx or 3xx responses: 3
Requests/sec:  35330.00
Transfer/sec:      4.85MB
`;

const AB = `Concurrency Level:      150
Time taken for tests:   0.338 seconds
Complete requests:      1000
Failed requests:        21
   (Connect: 0, Receive: 21, Length: 0, Exceptions: 0)
Non-2xx responses:      4
Requests per second:    2958.58 [#/sec] (mean)
Percentage of the requests served within a certain time (ms)
  50%     46
  66%     50
  99%     71
 100%     74 (longest request)
`;

describe('generator output parsers', () => {
  it('reads wrk --latency', () => {
    expect(parseWrk(WRK)).toEqual({ rps: 35330, requests: 105990, seconds: 3, p50Ms: 2.68, p99Ms: 5.19, maxMs: 47.11, errors: 2, non2xx: 3, timeouts: 7 });
  });

  it('reads ab, failed requests by kind', () => {
    expect(parseAb(AB)).toEqual({
      rps: 2958.58,
      complete: 1000,
      failed: 21,
      non2xx: 4,
      p50Ms: 46,
      p99Ms: 71,
      maxMs: 74,
      failedDetail: { connect: 0, receive: 21, length: 0, exceptions: 0 },
    });
  });

  it('refuses output it cannot read', () => {
    expect(() => parseWrk('unable to connect')).toThrow('could not read wrk output');
    expect(() => parseAb('apr_socket_connect(): Connection refused')).toThrow('could not read ab output');
  });
});

describe('answerProblems', () => {
  const answer = (body: string, status = 200, headers = {}) => ({ status, headers, body: Buffer.from(body) });

  it('accepts an answer that meets every expectation', () => {
    const body = JSON.stringify({ bytes: 3, sha256: 'x', extra: true });
    expect(
      answerProblems(answer(body, 200, { 'content-type': 'application/json' }), {
        json: { bytes: 3, sha256: 'x' },
        headers: { 'content-type': 'json' },
        bodyBytes: body.length,
      }),
    ).toEqual([]);
  });

  it('says what is wrong', () => {
    expect(answerProblems(answer('nope', 500))).toEqual(['status 500, expected 200 (body "nope")']);
    expect(answerProblems(answer('hello'), { bodyMatches: '^bye' })).toEqual(['body "hello" does not match /^bye/']);
    expect(answerProblems(answer('{"ms":1}'), { json: { ms: 2 } })).toEqual(['JSON "ms" is 1, expected 2']);
    expect(answerProblems(answer('abc'), { bodySha256: '00' })[0]).toMatch(/^body SHA-256 is ba7816bf.*, expected 00$/);
  });
});
