// One node:cluster worker: a raw handler module (argv: host, port, the module's URL) on node:http.
import { createServer } from 'node:http';

const [host, port, handlerUrl] = process.argv.slice(2);
const { default: handler } = await import(handlerUrl);
createServer(handler).listen(Number(port), host);
