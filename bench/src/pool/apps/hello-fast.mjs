// Hello world with core's FastResponse: the fast path every backend writes without streams.
import { FastResponse } from '@switchyard/core';

export default {
  fetch() {
    return new FastResponse('Hello, World!');
  },
};
