// The Fetch app with srvx's FastResponse, as srvx recommends for speed on Node.
import { FastResponse } from 'srvx';
import { fetchApp } from './fetch-app.mjs';

export default fetchApp(FastResponse);
