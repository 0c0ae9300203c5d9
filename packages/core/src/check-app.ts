/**
 * `node check-app.js <app>`: imports the app as a server would, then exits
 * 0, or prints why it cannot load and exits 1. The reactor's supervisor
 * runs it before a reload, in a process of its own, so that an app that
 * no longer loads leaves the running server alone. It runs the app's top
 * level, as any start would.
 */
import { loadApp } from './load-app.js';

loadApp(process.argv[2]!).then(
  () => process.exit(0),
  (error: unknown) => {
    if ((error as Error | undefined)?.name === 'SwitchyardError') console.error(`switchyard: ${(error as Error).message}`);
    else console.error(error);
    process.exit(1);
  },
);
