// An app whose setup waits until the file `go` appears in its own folder
// (20 s at most), after leaving a file `setup-*` there as it begins: a
// server caught while it starts. Served from a copy in a folder of its own.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));

export default {
  async setup() {
    writeFileSync(join(dir, `setup-${process.pid}-${Math.random().toString(36).slice(2)}`), '');
    for (let waited = 0; waited < 20_000 && !existsSync(join(dir, 'go')); waited += 20) await sleep(20);
  },
  fetch: () => new Response('ok'),
};
