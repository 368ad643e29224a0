import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, ROBOT_CONTEXT } from './session/browser.js';

const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export default defineConfig({
  forbidOnly: Boolean(process.env['CI']),
  reporter: process.env['CI'] ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    launchOptions: { executablePath: chromiumPath, args: [...CHROMIUM_FLAGS] },
    headless: true,
    // The robot's own window and preferences, so that the tests see the pages as the robot does.
    ...ROBOT_CONTEXT,
    trace: 'retain-on-failure',
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'unit', testDir: 'tests/unit' },
    { name: 'browser', testDir: 'tests/browser' },
    // The local Moodle pair: brought up (or found up) once, then the real-Moodle tests.
    { name: 'harness', testDir: 'tests/e2e', testMatch: /harness\.setup\.ts/ },
    // One test at a time whatever the machine's CPUs: every test drives the same two sites.
    { name: 'e2e', testDir: 'tests/e2e', dependencies: ['harness'], timeout: 5 * 60_000, workers: 1 },
  ],
});
