// The fast path: a string body in core's light Response, written with one
// writeHead + end by the bridge.
import { FastResponse } from '@switchyard/core';

export default {
  fetch() {
    return new FastResponse('Hello, World!');
  },
};
