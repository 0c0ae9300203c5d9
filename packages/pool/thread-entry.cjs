'use strict';
// What piscina loads in every thread it starts. It is CommonJS on purpose:
// piscina require()s its file, and on Node 20 require() of an ES module
// instantiates the module graph synchronously; a thread terminated in the
// middle of that (an idle thread piscina started as the pool closes) ends
// the whole process with a V8 fatal error. Here a new thread loads only
// this file; the session's ES modules load inside the task, which the
// pool waits for before it terminates a thread (SessionLink.settleThenTerminate).
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const session = pathToFileURL(join(__dirname, 'dist', 'worker.js')).href;

module.exports = async function runSession(task) {
  const { default: run } = await import(session);
  return run(task);
};
