// The Fetch app with the global Response, as any portable Fetch app is written.
import { fetchApp } from './fetch-app.mjs';

export default fetchApp(Response);
