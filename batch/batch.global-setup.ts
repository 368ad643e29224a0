import { loadSettings } from '../config/env.js';
import { readPlan } from './plan.js';
import { startSharedBrowser } from './shared-browser.js';

/** Runs once in the batch's runner: the browser every worker connects to, closed when the batch ends. */
export default async function startBatchBrowser(): Promise<() => Promise<void>> {
  const plan = readPlan();
  const settings = loadSettings({ baseDir: plan.baseDir });
  const browser = await startSharedBrowser(plan.runDir, settings, (line) => {
    process.stdout.write(`${line}\n`);
  });
  return () => browser.close();
}
