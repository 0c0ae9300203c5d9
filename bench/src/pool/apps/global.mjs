// Hello world with the global Response, as most apps are written.
export default {
  fetch(request) {
    const path = request.url.slice(request.url.indexOf('/', 8));
    if (path === '/hello') return new Response('Hello, World!');
    return new Response('not found', { status: 404 });
  },
};
