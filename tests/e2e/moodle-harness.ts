import { test as base, expect, type Page } from '@playwright/test';
import { status, type HarnessStatus } from '../../harness/harness.js';
import { findTree } from '../../harness/moodle-tree.js';
import { MOODLE_VERSIONS, type MoodleVersion } from '../../harness/paths.js';
import { endUserToursWhenShown, gotoMoodlePage } from '../../pages/moodle-page.js';
import { logInByHttp } from './login-by-http.js';

export const HARNESS_VERSION: MoodleVersion = (
  (MOODLE_VERSIONS as readonly string[]).includes(process.env['MOODLE_VERSION'] ?? '')
    ? process.env['MOODLE_VERSION']
    : '4.5'
) as MoodleVersion;

export const NO_TREE_LINE = 'e2e: SKIPPED - no Moodle code tree, set MOODLE_DIR';

/** The running harness, or a skip when this machine has no Moodle tree (said loudly by the setup project). */
function runningHarness(): HarnessStatus | undefined {
  if (!findTree(HARNESS_VERSION)) return undefined;
  const current = status(HARNESS_VERSION);
  if (!current.sites.bleu.up || !current.sites.vert.up) {
    throw new Error(
      `the ${HARNESS_VERSION} harness is not up although a Moodle tree exists: npm run harness -- up`,
    );
  }
  return current;
}

export interface Account {
  username: string;
  password: string;
}

export const test = base.extend<{
  harness: HarnessStatus;
  teacher: Account;
  loginAs: (page: Page, site: 'bleu' | 'vert', who?: Account) => Promise<void>;
}>({
  // eslint-disable-next-line no-empty-pattern
  harness: async ({}, use) => {
    const current = runningHarness();
    test.skip(!current, NO_TREE_LINE);
    await use(current as HarnessStatus);
  },
  teacher: async ({ harness }, use) => {
    const account = harness.accounts.find((candidate) => candidate.username === harness.teacher);
    if (!account) throw new Error('the harness status names no teacher account');
    await use(account);
  },
  loginAs: async ({ harness, teacher }, use) => {
    // Not through the login form: a password typed into the browser lands in the test's trace.
    await use(async (page, site, who = teacher) => {
      await endUserToursWhenShown(page);
      await logInByHttp(page.context(), harness.sites[site].url, who);
      await gotoMoodlePage(page, `${harness.sites[site].url}/my/`);
      await expect(page.locator('body:not(.notloggedin)')).toHaveCount(1);
    });
  },
});

export { expect };
