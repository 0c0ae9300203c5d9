/**
 * Does `/metrics` agree with the load generator? Per backend: a server with
 * metrics on, a fixed number of requests from autocannon, a scrape in the
 * middle of the load (it must not exceed what was sent) and one after
 * (once every thread and process has reported, it must equal what the
 * generator saw answered).
 */
import autocannon from 'autocannon';
import { serve } from '@switchyard/core';
import { APP } from './lineup.mjs';

function count2xx(text) {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('switchyard_requests_total{') && line.includes('status="2xx"')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function scrape(url) {
  return count2xx(await (await fetch(url)).text());
}

/** One backend's check: `{ backend, sent, answered, during, after, agrees }`. */
export async function checkAgreement(backend, { requests = 20_000, connections = 32, workers } = {}) {
  const server = await serve({ backend, app: APP, port: 0, signals: false, metrics: '/metrics', ...(workers && { workers }) });
  const metrics = `${server.url}/metrics`;
  try {
    const load = autocannon({ url: `${server.url}/hello`, connections, amount: requests });
    let during;
    const midway = setTimeout(
      () =>
        void scrape(metrics).then(
          (n) => (during = n),
          () => {},
        ),
      300,
    );
    const result = await load;
    clearTimeout(midway);
    const answered = result['2xx'];
    // Threads and processes report every second; wait for the last report.
    let after = await scrape(metrics);
    for (let i = 0; i < 50 && after !== answered; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await scrape(metrics);
    }
    return { backend, sent: requests, answered, during: during ?? null, after, agrees: after === answered && (during === undefined || during <= answered) };
  } finally {
    await server.close();
  }
}

/** The checks as a markdown section. */
export function agreementReport(checks) {
  const lines = [
    '## Does a scrape agree with the load generator?',
    '',
    '| backend | requests sent | 2xx the generator saw | 2xx in a scrape during the load | 2xx in the scrape after | agrees |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const c of checks) lines.push(`| ${c.backend} | ${c.sent} | ${c.answered} | ${c.during ?? 'n/a'} | ${c.after} | ${c.agrees ? 'yes' : '**no**'} |`);
  return `${lines.join('\n')}\n`;
}
