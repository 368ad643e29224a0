import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserServer } from 'playwright';
import { chromiumLaunchOptions } from '../session/browser.js';

/**
 * One Chromium for all of a batch's workers: each worker connects to it and gives each course its own
 * context. Four workers with four browsers of their own took 3 GB; the browser's shared processes
 * (GPU, network, storage, the browser itself) are now paid once.
 *
 * The server lives in the batch's runner process (global setup). Its address is written in the run's
 * folder, owner-only: the address alone lets a process drive the browser and its logged-in sessions.
 */
const ENDPOINT_FILE = 'browser-endpoint';
/** A browser that keeps dying is a problem of its own: the batch stops restarting it after this many. */
const MAX_RESTARTS = 5;

export interface SharedBrowserSettings {
  chromiumPath: string;
  headless: boolean;
}

export interface SharedBrowser {
  close(): Promise<void>;
}

function endpointFile(runDir: string): string {
  return path.join(runDir, ENDPOINT_FILE);
}

/** Starts the shared browser, and starts it again whenever it dies while the batch runs. */
export async function startSharedBrowser(
  runDir: string,
  settings: SharedBrowserSettings,
  say: (line: string) => void,
): Promise<SharedBrowser> {
  let server: BrowserServer | undefined;
  let closing = false;
  let restarts = 0;

  const launch = async () => {
    const started = await chromium.launchServer({
      ...chromiumLaunchOptions(settings.chromiumPath, settings.headless),
      host: '127.0.0.1',
      port: 0,
    });
    server = started;
    publishEndpoint(runDir, started.wsEndpoint());
    started.on('close', () => {
      if (closing || server !== started) return;
      if (restarts >= MAX_RESTARTS) {
        say(`the shared browser died ${restarts + 1} times: not started again, the remaining courses fail`);
        return;
      }
      restarts += 1;
      say('the shared browser died: starting it again (the courses it held fail before Perform)');
      launch().catch((error: unknown) => {
        say(`the shared browser could not be started again: ${String(error).split('\n')[0] ?? ''}`);
      });
    });
  };
  await launch();

  return {
    close: async () => {
      closing = true;
      await server?.close();
    },
  };
}

function publishEndpoint(runDir: string, wsEndpoint: string) {
  const file = endpointFile(runDir);
  const next = `${file}.next`;
  // Written whole then renamed: a worker starting meanwhile reads the old address or the new one.
  writeFileSync(next, `${wsEndpoint}\n`, { mode: 0o600 });
  renameSync(next, file);
}

/** A worker's connection to the batch's browser (its address read anew: it changes after a restart). */
export async function connectToSharedBrowser(runDir: string, timeoutMs: number): Promise<Browser> {
  const file = endpointFile(runDir);
  if (!existsSync(file))
    throw new Error(`the batch's shared browser is not running (no ${file}): start the batch again`);
  return chromium.connect(readFileSync(file, 'utf8').trim(), { timeout: timeoutMs });
}

/**
 * Whether an error came from the shared browser going away under the worker, not from what the worker
 * was doing. The worker may hear of its closed connection only after the error, and Playwright's class
 * for it (TargetClosedError) is not exported: its messages are what says it.
 */
export function lostWithTheBrowser(error: unknown, browser: Browser): boolean {
  if (!browser.isConnected()) return true;
  for (let cause = error; cause instanceof Error; cause = cause.cause)
    if (
      /Target page, context or browser has been closed|\bBrowser closed\b|browser has disconnected/i.test(
        cause.message,
      )
    )
      return true;
  return false;
}
