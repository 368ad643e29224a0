import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { loadSettings } from '../config/env.js';
import { readPlan } from './plan.js';

/**
 * A batch is a Playwright Test run: one test per course (restore-batch.spec), workers, --shard, and
 * retries, which the spec turns down for any course whose content may already be gone.
 */
const plan = readPlan();
const settings = loadSettings({ baseDir: plan.baseDir });

export default defineConfig({
  testDir: import.meta.dirname,
  testMatch: /restore-batch\.spec\.[jt]s$/,
  outputDir: path.join(plan.runDir, 'test-output'),
  // One browser for every worker (batch/shared-browser.ts); each course gets its own context in it.
  globalSetup: path.join(import.meta.dirname, `batch.global-setup${path.extname(import.meta.filename)}`),
  workers: plan.runner.workers,
  retries: plan.runner.retries,
  fullyParallel: true,
  // The whole procedure for one course: the copy from bleu and the restore may each take their full time.
  timeout: settings.timeouts.copyMs + settings.timeouts.restoreMs + 15 * 60_000,
  reporter: [
    [path.join(import.meta.dirname, `progress-reporter${path.extname(import.meta.filename)}`)],
    ['html', { outputFolder: path.join(plan.runDir, 'report'), open: 'never' }],
  ],
  use: {
    // Traces and Playwright's own screenshots would hold session cookies and typed passwords:
    // the evidence is the robot's own, with secret fields masked.
    trace: 'off',
    screenshot: 'off',
    video: 'off',
    actionTimeout: settings.timeouts.stepMs,
    navigationTimeout: settings.timeouts.stepMs * 2,
  },
});
