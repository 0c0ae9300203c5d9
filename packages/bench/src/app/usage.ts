import { BLOCKING_MS } from './findings.js';

export const USAGE = `Usage: switchyard bench <app> --route <path> [--route <path> ...] [options]

Runs <app> (an ES module whose default export has a fetch(request, ctx)
method) under reactor, pool and cluster, loads each route in turn with the
same load, and prints a table, warnings for handlers that block the event
loop, and which model to use with the measured reason.

Options:
  -r, --route <route>     a route to load: "/path?query" (GET) or "METHOD /path"; repeat for more
  --probe <route>|none    timed beside every other route's load, one request
                          every 10 ms on one connection     default: the first --route
  --models <list>         reactor (the reference), pool, cluster, threads (Node >= 22.12), sequential
                                                            default reactor,pool,cluster
  --quick                 1 round of 1.5 s after 0.5 s warm-up: about a minute for two routes
  --runs <n>              rounds; each runs every route under every model   default 3
  --duration <s>          seconds per timed run                               default 3
  --warmup <s>            seconds of discarded load before each               default 1
  -c, --connections <n>   concurrent keep-alive connections                   default 100
  --generator <name>      autocannon or wrk (wrk must be on PATH)             default autocannon
  --workers <n>           threads (pool) and processes (cluster)              default: CPU count
  --timeout <s>           seconds before a request counts as timed out        default 10
  --seed <n>              seed of the run order                               default random
  --blocking-ms <ms>      CPU per request under reactor that counts as
                          blocking the event loop                             default ${BLOCKING_MS}
  --out <dir>             write results.json, results.md and report.html there  default: none
  --json                  print the result and the recommendation as JSON
  -h, --help              print this help

Progress goes to standard error; the table and the recommendation to
standard output. Exit status: 0 when every route was measured, 1 when a
route could not be (the reason is printed), 2 for a mistake in the flags.
`;
