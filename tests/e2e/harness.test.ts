import type { Page } from '@playwright/test';
import { reset } from '../../harness/harness.js';
import { sitePaths } from '../../harness/paths.js';
import { setConfig, startWebServer, stopWebServer } from '../../harness/site.js';
import { BackupBlock } from '../../pages/backup-block.js';
import { CoursePage } from '../../pages/course-page.js';
import { detectRelease } from '../../pages/moodle-release.js';
import { RestoreFilePage } from '../../pages/restore-file-page.js';
import { HARNESS_VERSION, expect, test } from './moodle-harness.js';
import { resolveSite } from '../../pages/moodle-site.js';

// These tests change the shared sites (token, bleu stopped, reset): one at a time.
test.describe.configure({ mode: 'serial' });

const COPY_TIMEOUT_MS = 120_000;

async function openCourseWithBlock(page: Page, vertUrl: string, courseId: number): Promise<CoursePage> {
  const vert = await resolveSite(page, vertUrl);
  const course = new CoursePage(vert);
  await course.goto(courseId);
  const block = new BackupBlock(vert, BackupBlock.SEED_TEXTS);
  if (!(await block.isOnPage())) {
    await course.turnEditingOn();
    await course.addBlock(BackupBlock.NAME, block.fetchLink);
  }
  return course;
}

/** Clicks the block's link; returns the new window once its (long) first load is over. */
async function fetchThroughBlock(page: Page): Promise<Page> {
  const vert = await resolveSite(page, new URL(page.url()).origin);
  const block = new BackupBlock(vert, BackupBlock.SEED_TEXTS);
  if (!(await block.fetchLink.isVisible())) await new CoursePage(vert).openBlockDrawer();
  const popup = await block.openFetchWindow();
  await popup.waitForLoadState('load', { timeout: COPY_TIMEOUT_MS });
  return popup;
}

async function privateBackupNames(page: Page, vertUrl: string, contextId: number): Promise<string[]> {
  const restoreFile = new RestoreFilePage(await resolveSite(page, vertUrl));
  await restoreFile.goto(contextId);
  return (await restoreFile.privateBackups()).map((row) => row.filename);
}

test.afterAll(async () => {
  await reset(HARNESS_VERSION);
});

test(
  'a teacher adds the block to an empty course and its link brings that course backup from bleu',
  { tag: '@matrix' },
  async ({ page, harness, loginAs }) => {
    const vert = harness.sites.vert;
    const bleuCourseId = harness.sites.bleu.courses['ANG-EC1'];
    await loginAs(page, 'vert');
    const course = await openCourseWithBlock(page, vert.url, vert.courses['ANG-EC1'] ?? 0);
    await expect(
      new BackupBlock(await resolveSite(page, vert.url), BackupBlock.SEED_TEXTS).fetchLink,
    ).toBeVisible();

    const popup = await fetchThroughBlock(page);
    const restoreFile = new RestoreFilePage(await resolveSite(popup, vert.url));
    expect(await restoreFile.isShown()).toBe(true);
    expect(new URL(popup.url()).searchParams.get('contextid')).toBe(String((await course.ids()).contextId));
    const names = (await restoreFile.privateBackups()).map((row) => row.filename);
    expect(names).toContainEqual(
      expect.stringMatching(new RegExp(`-moodle2-course-${bleuCourseId}-.*\\.mbz$`)),
    );
  },
);

test(
  'a course bleu does not have gives a clear error page and stores nothing',
  { tag: '@matrix' },
  async ({ page, harness, loginAs }) => {
    const vert = harness.sites.vert;
    await loginAs(page, 'vert');
    const course = await openCourseWithBlock(page, vert.url, vert.courses['VERT-ONLY'] ?? 0);
    const { contextId } = await course.ids();
    const before = await privateBackupNames(await page.context().newPage(), vert.url, contextId);

    const popup = await fetchThroughBlock(page);
    await expect(popup.locator('[data-rel="fatalerror"], .errorbox')).toContainText('VERT-ONLY');
    expect(await privateBackupNames(popup, vert.url, contextId)).toEqual(before);
  },
);

test(
  'bleu down gives a clear error page and stores nothing',
  { tag: '@matrix' },
  async ({ page, harness, loginAs }) => {
    const vert = harness.sites.vert;
    const bleu = sitePaths(HARNESS_VERSION, 'bleu');
    await loginAs(page, 'vert');
    const course = await openCourseWithBlock(page, vert.url, vert.courses['HIST-GRP'] ?? 0);
    const { contextId } = await course.ids();
    const before = await privateBackupNames(await page.context().newPage(), vert.url, contextId);
    stopWebServer(bleu);
    try {
      const popup = await fetchThroughBlock(page);
      await expect(popup.locator('[data-rel="fatalerror"], .errorbox')).toContainText(bleu.wwwroot);
      expect(await privateBackupNames(popup, vert.url, contextId)).toEqual(before);
    } finally {
      await startWebServer(bleu);
    }
  },
);

test(
  'a wrong token is refused by bleu and nothing is stored',
  { tag: '@matrix' },
  async ({ page, harness, loginAs }) => {
    const vert = harness.sites.vert;
    const vertSite = sitePaths(HARNESS_VERSION, 'vert');
    await loginAs(page, 'vert');
    const course = await openCourseWithBlock(page, vert.url, vert.courses['HIST-GRP'] ?? 0);
    const { contextId } = await course.ids();
    const before = await privateBackupNames(await page.context().newPage(), vert.url, contextId);
    await setConfig(vertSite, 'token', 'not-the-token', 'block_ecampus_restore');
    try {
      const popup = await fetchThroughBlock(page);
      await expect(popup.locator('[data-rel="fatalerror"], .errorbox')).toContainText(/token|jeton/i);
      expect(await privateBackupNames(popup, vert.url, contextId)).toEqual(before);
    } finally {
      await reset(HARNESS_VERSION);
    }
  },
);

test('each site is recognised as the release the harness installed', async ({ page, harness }) => {
  for (const site of [harness.sites.vert, harness.sites.bleu]) {
    expect(await detectRelease(page, site.url)).toBe(HARNESS_VERSION);
  }
});

test(
  'reset returns both sites to the seeded state',
  { tag: '@matrix' },
  async ({ page, harness, loginAs }) => {
    const vert = harness.sites.vert;
    await loginAs(page, 'vert');
    const course = await openCourseWithBlock(page, vert.url, vert.courses['ANG-EC1'] ?? 0);
    await fetchThroughBlock(page);
    const { contextId } = await course.ids();
    expect(await privateBackupNames(page, vert.url, contextId)).not.toEqual([]);

    await reset(HARNESS_VERSION);

    await loginAs(page, 'vert');
    await course.goto(vert.courses['ANG-EC1'] ?? 0);
    expect(await new BackupBlock(await resolveSite(page, vert.url), BackupBlock.SEED_TEXTS).isOnPage()).toBe(
      false,
    );
    expect(await privateBackupNames(page, vert.url, contextId)).toEqual([]);
  },
);
