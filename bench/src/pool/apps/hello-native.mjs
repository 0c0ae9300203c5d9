// Hello world with the global Response, as most apps are written.
export default {
  fetch() {
    return new Response('Hello, World!');
  },
};
