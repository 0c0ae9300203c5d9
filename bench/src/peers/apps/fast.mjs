// The Fetch app with core's light FastResponse: what a Switchyard app does for speed.
import { FastResponse } from '@switchyard/core';
import { fetchApp } from './fetch-app.mjs';

export default fetchApp(FastResponse);
