import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { chromium } from 'playwright';
import { chromiumLaunchOptions } from '../../session/browser.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

function featureSwitches(commandLine: string[], name: 'disable' | 'enable'): string[][] {
  const prefix = `--${name}-features=`;
  return commandLine
    .filter((arg) => arg.startsWith(prefix))
    .map((arg) => arg.slice(prefix.length).split(','));
}

test("the robot's feature switches keep every one of Playwright's (Chromium keeps only the last of each)", async () => {
  const server = await chromium.launchServer(chromiumLaunchOptions(CHROMIUM, true));
  try {
    const pid = server.process().pid;
    if (pid === undefined) throw new Error('the browser has no process id');
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    for (const name of ['disable', 'enable'] as const) {
      const switches = featureSwitches(commandLine, name);
      // Playwright's own comes first; the robot's, last, is the one Chromium applies.
      expect(switches.length, `--${name}-features switches`).toBeGreaterThanOrEqual(1);
      const applied = switches.at(-1) ?? [];
      for (const earlier of switches.slice(0, -1))
        expect(
          earlier.filter((feature) => !applied.includes(feature)),
          `Playwright's --${name}-features the robot's list drops (session/browser.ts)`,
        ).toEqual([]);
    }
  } finally {
    await server.close();
  }
});

test("a browser window carries no address-bar popup page, and the robot's pages still load", async () => {
  const browser = await chromium.launch(chromiumLaunchOptions(CHROMIUM, true));
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.setContent('<p>ready</p>');
    const session = await browser.newBrowserCDPSession();
    const { targetInfos } = await session.send('Target.getTargets', { filter: [{}] });
    const urls = targetInfos.map((target) => `${target.type} ${target.url}`);
    expect(urls.filter((url) => url.includes('omnibox'))).toEqual([]);
    expect(urls).toContain('page about:blank');
    await expect(page.locator('p')).toHaveText('ready');
  } finally {
    await browser.close();
  }
});
