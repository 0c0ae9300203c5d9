// The global Response, as an unchanged Fetch app (or Hono) would return it.
export default {
  fetch() {
    return new Response('Hello, World!');
  },
};
