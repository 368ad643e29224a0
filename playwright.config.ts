import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS } from './config/browser.js';

const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export default defineConfig({
  forbidOnly: Boolean(process.env['CI']),
  reporter: process.env['CI'] ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    launchOptions: { executablePath: chromiumPath, args: [...CHROMIUM_FLAGS] },
    headless: true,
  },
  projects: [
    { name: 'unit', testDir: 'tests/unit' },
    { name: 'browser', testDir: 'tests/browser' },
  ],
});
