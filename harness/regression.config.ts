import path from 'node:path';
import { defineConfig } from '@playwright/test';
import base from '../playwright.config.js';

/**
 * The project's Playwright config with the regression run's reporters. Given as a config rather than
 * through PLAYWRIGHT_HTML_REPORT / PLAYWRIGHT_JSON_OUTPUT_FILE: those variables would reach the batch
 * engine's own Playwright run (started by the batch tests) and move its report.
 */
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const runDir = process.env['REGRESSION_VERSION_DIR'];
if (!runDir)
  throw new Error('harness/regression.config.ts is run by npm run regression (REGRESSION_VERSION_DIR)');

export default defineConfig({
  ...base,
  // Report file names from the repository root (tests/e2e/…), as a run of the base config shows them.
  testDir: ROOT,
  // Paths of the base config are relative to the repository root, not to this folder.
  projects: (base.projects ?? []).map((project) => ({
    ...project,
    ...(project.testDir !== undefined && { testDir: path.resolve(ROOT, project.testDir) }),
  })),
  reporter: [
    ['list'],
    ['json', { outputFile: path.join(runDir, 'results.json') }],
    ['html', { outputFolder: path.join(runDir, 'playwright-report'), open: 'never' }],
  ],
});
