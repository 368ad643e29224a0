import type { Locator, Page } from '@playwright/test';
import { reset } from '../../harness/harness.js';
import { sitePaths } from '../../harness/paths.js';
import { setConfig } from '../../harness/site.js';
import { setSiteTheme, type StandardTheme } from '../../harness/vert-appearance.js';
import { PROFILES } from '../../config/profiles/index.js';
import { BackupBlock } from '../../pages/backup-block.js';
import { CoursePage } from '../../pages/course-page.js';
import { LoginPage } from '../../pages/login-page.js';
import { waitForMoodleReady } from '../../pages/moodle-page.js';
import { detectRelease } from '../../pages/moodle-release.js';
import { ParticipantsPage } from '../../pages/participants-page.js';
import { RestoreCompletePage } from '../../pages/restore-complete-page.js';
import { RestoreConfirmPage } from '../../pages/restore-confirm-page.js';
import { RestoreDestinationPage } from '../../pages/restore-destination-page.js';
import { RestoreFilePage } from '../../pages/restore-file-page.js';
import { RestoreProcessPage } from '../../pages/restore-process-page.js';
import { RestoreReviewPage } from '../../pages/restore-review-page.js';
import { RestoreSchemaPage } from '../../pages/restore-schema-page.js';
import { RestoreSettingsPage } from '../../pages/restore-settings-page.js';
import { currentRestoreStage } from '../../pages/restore-stage.js';
import { HARNESS_VERSION, expect, test, type Account } from './moodle-harness.js';
import type { HarnessStatus } from '../../harness/harness.js';
import { resolveSite, type SiteContext } from '../../pages/moodle-site.js';

/**
 * Moodle's own pages as a contract: every page object is put in front of the real page on the
 * running release, and each of its locators must find exactly one element (or, where the screen says
 * so, none or some). A failure names the page object, the locator and the page.
 *
 * Read-only part: the login page, vert's participants and course page, and the restore wizard walked
 * on bleu by the administrator up to Review (nothing performed; only Moodle's own restore controller
 * record and temporary files are written). With CONTRACT_READ_ONLY=1 that is all, so it can run on
 * sites someone else is using. Otherwise the test also adds our block on vert and performs two
 * restores on bleu (synchronous, asynchronous) for the block, process and complete screens, then
 * resets the harness to its seeded state.
 *
 * The same contract under Classic, Moodle's other standard theme (both sites, the wizard's pages
 * included), in French and English where the language changes what is seen (the course page's
 * controls, our block's texts): not with CONTRACT_READ_ONLY=1, since the theme is a site setting;
 * the harness is reset after it (Boost again).
 */

test.describe.configure({ mode: 'serial' });

const READ_ONLY = ['1', 'true', 'yes'].includes((process.env['CONTRACT_READ_ONLY'] ?? '').toLowerCase());
let wrote = false;

type Expected = 'one' | 'none' | 'some';
type Language = 'fr' | 'en';
type LoginAs = (page: Page, site: 'bleu' | 'vert', who?: Account) => Promise<void>;

/** The page object's own Locator fields, by name: a locator added later is checked without listing it. */
function locatorFields(pageObject: object): [string, Locator][] {
  return Object.entries(pageObject).filter((entry): entry is [string, Locator] => {
    const value: unknown = entry[1];
    return typeof value === 'object' && value !== null && value.constructor.name === 'Locator';
  });
}

async function checkLocators(
  page: Page,
  pageObjectName: string,
  locators: [string, Locator][],
  expected: Record<string, Expected> = {},
): Promise<void> {
  await waitForMoodleReady(page);
  for (const [name, locator] of locators) {
    const want = expected[name] ?? 'one';
    const found = await locator.count();
    const ok = want === 'one' ? found === 1 : want === 'none' ? found === 0 : found > 0;
    expect
      .soft(
        ok,
        `${pageObject(pageObjectName, name)} should find ${want === 'one' ? 'exactly one element' : want === 'none' ? 'no element' : 'at least one element'} on Moodle ${HARNESS_VERSION} (${page.url()}), found ${found}: ${String(locator)}`,
      )
      .toBe(true);
  }
}

function pageObject(name: string, locator: string): string {
  return `${name}.${locator}`;
}

async function checkPageObject(
  page: Page,
  name: string,
  instance: object,
  expected: Record<string, Expected> = {},
  extra: [string, Locator][] = [],
): Promise<void> {
  await checkLocators(page, name, [...locatorFields(instance), ...extra], expected);
}

function account(harness: HarnessStatus, username: string): Account {
  const found = harness.accounts.find((candidate) => candidate.username === username);
  if (!found) throw new Error(`no ${username} account in the harness status`);
  return found;
}

/** Restore links of bleu's automated backups of a course, as the administrator sees them. */
async function openBleuBackupArea(
  page: Page,
  harness: HarnessStatus,
  shortname: string,
): Promise<RestoreFilePage & { contextId: number }> {
  const bleu = harness.sites.bleu;
  const site = await resolveSite(page, bleu.url, HARNESS_VERSION);
  const course = new CoursePage(site);
  await course.goto(bleu.courses[shortname] ?? 0);
  const { contextId } = await course.ids();
  const area = new RestoreFilePage(site);
  await area.goto(contextId);
  return Object.assign(area, { contextId });
}

/** Walks the wizard from bleu's automated backup up to Review, checking each stage's page object. */
async function walkToReview(site: SiteContext, area: RestoreFilePage): Promise<void> {
  const { page } = site;
  await Promise.all([page.waitForURL(/\/backup\/restore\.php/), area.automatedBackupLinks.first().click()]);
  expect(await currentRestoreStage(page)).toBe('confirm');
  const confirm = new RestoreConfirmPage(site);
  await checkPageObject(page, 'RestoreConfirmPage', confirm);
  await confirm.continue();

  expect(await currentRestoreStage(page)).toBe('destination');
  const destination = new RestoreDestinationPage(site);
  await checkPageObject(page, 'RestoreDestinationPage', destination, {}, [
    [
      'target 0 radio (delete, then restore)',
      destination.currentCourse.locator('input[name="target"][value="0"]'),
    ],
    ['target 1 radio (merge)', destination.currentCourse.locator('input[name="target"][value="1"]')],
  ]);
  // Merge into the same course: never performed in the read-only part.
  await destination.chooseTarget(1);
  await destination.continue();

  expect(await currentRestoreStage(page)).toBe('settings');
  const settings = new RestoreSettingsPage(site);
  const profile = PROFILES['cemu-2425'];
  if (!profile) throw new Error('no cemu-2425 profile');
  const rootFields: [string, Locator][] = profile.root.map((entry) => {
    const name = settings.fieldName(entry.setting);
    // Editable (a field with its id) or locked (a hidden input carrying the value): one of them.
    return [
      `root setting ${entry.setting} (${name})`,
      settings.form.locator(`#id_${name}, input[type="hidden"][name="${name}"]`).first(),
    ];
  });
  await checkPageObject(page, 'RestoreSettingsPage', settings, {}, rootFields);
  await settings.next();

  expect(await currentRestoreStage(page)).toBe('schema');
  const schema = new RestoreSchemaPage(site);
  await checkPageObject(page, 'RestoreSchemaPage', schema, {}, [
    ['include boxes', schema.form.locator('input[type="checkbox"][name$="_included"]').first()],
    ['setting_course_overwrite_conf', schema.form.locator('[name="setting_course_overwrite_conf"]').first()],
    [
      'setting_course_keep_roles_and_enrolments',
      schema.form.locator('[name="setting_course_keep_roles_and_enrolments"]').first(),
    ],
  ]);
  await schema.next();

  expect(await currentRestoreStage(page)).toBe('review');
  await checkPageObject(page, 'RestoreReviewPage', new RestoreReviewPage(site), {}, [
    ['restore id', page.locator('form:has(input[name="_qf__restore_review_form"]) input[name="restore"]')],
  ]);
}

test.afterAll(async () => {
  if (!wrote) return;
  await setConfig(sitePaths(HARNESS_VERSION, 'bleu'), 'enableasyncbackup', '1');
  await reset(HARNESS_VERSION);
});

/** The session's interface language, as a person picks it; the page must then say it is that one. */
async function inLanguage(page: Page, siteUrl: string, path: string, lang: Language): Promise<void> {
  await page.goto(`${siteUrl}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
}

/** The theme the page was drawn with, as Moodle tells its own JavaScript. */
async function drawnWith(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (window as { M?: { cfg?: { theme?: string } } }).M?.cfg?.theme);
}

async function checkLoginPage(page: Page, harness: HarnessStatus, lang?: Language): Promise<void> {
  const login = new LoginPage({ page, url: harness.sites.vert.url });
  if (lang) await inLanguage(page, harness.sites.vert.url, '/login/index.php', lang);
  await login.goto();
  await checkPageObject(page, 'LoginPage', login, { error: 'none' });
  // An account that does not exist: nothing is locked out, only a failed-login event is logged.
  expect(await login.submitCredentials('contract-nobody', 'not-a-password')).toBe('refused');
  await checkPageObject(page, 'LoginPage', login);
}

async function checkVertCoursePages(
  page: Page,
  harness: HarnessStatus,
  loginAs: LoginAs,
  theme?: StandardTheme,
  lang?: Language,
): Promise<void> {
  const vert = harness.sites.vert;
  await loginAs(page, 'vert');
  if (lang) await inLanguage(page, vert.url, '/my/', lang);
  const participants = new ParticipantsPage(await resolveSite(page, vert.url));
  await participants.goto(vert.courses['TRAP-2TEACH'] ?? 0);
  await checkPageObject(page, 'ParticipantsPage', participants, { userRows: 'some' });
  expect(await participants.currentUserId()).toBeDefined();
  const everyone = (await participants.enrolledUsers()).map((user) => user.id);
  expect(await participants.totalParticipants()).toBe(everyone.length);
  // Asked for fewer than the course has, the page is asked again for all of them.
  await participants.goto(vert.courses['TRAP-2TEACH'] ?? 0, 1);
  expect((await participants.enrolledUsers()).map((user) => user.id)).toEqual(everyone);

  const course = new CoursePage(await resolveSite(page, vert.url));
  await course.goto(vert.courses['ANG-EC1'] ?? 0);
  if (theme) expect(await drawnWith(page)).toBe(theme);
  // Not in edit mode, the add-block button is not there; Classic has no block drawer.
  const drawer: Record<string, Expected> =
    theme === 'classic' ? { blockDrawerToggle: 'none', blockDrawerShown: 'none' } : {};
  await checkPageObject(page, 'CoursePage', course, { ...drawer, addBlockButton: 'none' });
  // Edit mode lives in the session, not in the database.
  await course.turnEditingOn();
  await checkPageObject(page, 'CoursePage', course, drawer);
}

async function checkWizardToReview(page: Page, harness: HarnessStatus, loginAs: LoginAs): Promise<void> {
  await loginAs(page, 'bleu', account(harness, 'admin'));
  const area = await openBleuBackupArea(page, harness, 'ANG-EC1');
  await checkPageObject(page, 'RestoreFilePage', area, {
    fatalError: 'none',
    privateBackupLinks: 'none',
    automatedBackupLinks: 'some',
  });
  await walkToReview(area.site, area);
}

/** Adds our block to VERT-ONLY in the first language, then sees it again in each other one. */
async function checkBackupBlock(
  page: Page,
  harness: HarnessStatus,
  loginAs: LoginAs,
  langs: readonly (Language | undefined)[],
): Promise<void> {
  const vert = harness.sites.vert;
  await loginAs(page, 'vert');
  const site = await resolveSite(page, vert.url, HARNESS_VERSION);
  const course = new CoursePage(site);
  const courseId = vert.courses['VERT-ONLY'] ?? 0;
  const block = new BackupBlock(site, BackupBlock.SEED_TEXTS);
  for (const [index, lang] of langs.entries()) {
    if (lang) await inLanguage(page, vert.url, '/my/', lang);
    await course.goto(courseId);
    if (index === 0) {
      wrote = true;
      await course.turnEditingOn();
      await course.addBlock(BackupBlock.NAME, block.fetchLink);
    }
    await checkPageObject(page, `BackupBlock${lang ? ` (${lang})` : ''}`, block);
  }
}

async function checkRestoreScreens(page: Page, harness: HarnessStatus, loginAs: LoginAs): Promise<void> {
  const bleuSite = sitePaths(HARNESS_VERSION, 'bleu');
  await loginAs(page, 'bleu', account(harness, 'admin'));
  const bleu = await resolveSite(page, harness.sites.bleu.url, HARNESS_VERSION);
  wrote = true;
  for (const mode of ['synchronous', 'asynchronous'] as const) {
    await setConfig(bleuSite, 'enableasyncbackup', mode === 'asynchronous' ? '1' : '0');
    const area = await openBleuBackupArea(page, harness, 'ANG-EC1');
    await walkToReview(bleu, area);
    const review = new RestoreReviewPage(bleu);
    const restoreId = await review.restoreId();
    await review.perform(300_000);
    const process = new RestoreProcessPage(bleu);
    if ((await process.precheckNotices.count()) > 0) {
      await checkPageObject(page, `RestoreProcessPage (prechecks, ${mode})`, process, {
        precheckNotices: 'some',
        asyncProgress: 'none',
        syncProgress: 'none',
      });
      await process.continuePastPrechecks(300_000);
    }
    if (mode === 'asynchronous') {
      await checkPageObject(page, 'RestoreProcessPage (asynchronous)', process, {
        precheckNotices: 'none',
        precheckContinue: 'none',
        syncProgress: 'none',
      });
      const end = await process.waitForAsyncEnd(
        (await process.asyncRestoreId()) ?? restoreId,
        area.contextId,
        {
          timeoutMs: 300_000,
          pollMs: 1000,
        },
      );
      expect(end.state).toBe('done');
    } else {
      const complete = new RestoreCompletePage(bleu);
      await complete.success.first().waitFor({ timeout: 300_000 });
      await checkPageObject(page, 'RestoreProcessPage (synchronous)', process, {
        precheckNotices: 'none',
        precheckContinue: 'none',
        asyncProgress: 'none',
      });
      await checkPageObject(page, 'RestoreCompletePage', complete, { problems: 'none' });
      expect(await complete.restoredCourseId()).toBe(harness.sites.bleu.courses['ANG-EC1']);
    }
  }
}

test(
  'the site is the configured release, read from the site itself',
  { tag: '@matrix' },
  async ({ page, harness }) => {
    for (const site of [harness.sites.vert, harness.sites.bleu])
      expect(await detectRelease(page, site.url, HARNESS_VERSION)).toBe(HARNESS_VERSION);
  },
);

test(
  'LoginPage: the login form, and its error after a refused login',
  { tag: '@matrix' },
  async ({ page, harness }) => {
    await checkLoginPage(page, harness);
  },
);

test(
  'ParticipantsPage and CoursePage on a vert course, as its teacher',
  { tag: '@matrix' },
  async ({ page, harness, loginAs }) => {
    await checkVertCoursePages(page, harness, loginAs);
  },
);

test(
  'RestoreFilePage and the wizard up to Review, on bleu, as the administrator',
  { tag: '@matrix' },
  async ({ page, harness, loginAs }) => {
    await checkWizardToReview(page, harness, loginAs);
  },
);

test(
  'BackupBlock, added to a vert course through the "Add a block" link',
  { tag: '@matrix' },
  async ({ page, harness, loginAs }) => {
    test.skip(READ_ONLY, 'CONTRACT_READ_ONLY=1: adding a block changes the site');
    await checkBackupBlock(page, harness, loginAs, [undefined]);
  },
);

test(
  'RestoreProcessPage and RestoreCompletePage, on restores performed on bleu',
  { tag: '@matrix' },
  async ({ page, harness, loginAs }) => {
    test.skip(READ_ONLY, 'CONTRACT_READ_ONLY=1: performing a restore changes the site');
    await checkRestoreScreens(page, harness, loginAs);
  },
);

test.describe('under Classic, on both sites', () => {
  test.skip(READ_ONLY, 'CONTRACT_READ_ONLY=1: the theme is a site setting');

  test.beforeAll(async () => {
    // From the seed: the Boost tests above added our block and restored on bleu.
    if (wrote) await reset(HARNESS_VERSION);
    wrote = true;
    await Promise.all([
      setSiteTheme(HARNESS_VERSION, 'vert', 'classic'),
      setSiteTheme(HARNESS_VERSION, 'bleu', 'classic'),
    ]);
  });

  for (const lang of ['fr', 'en'] as const) {
    test(`LoginPage, interface ${lang}`, { tag: '@matrix' }, async ({ page, harness }) => {
      await checkLoginPage(page, harness, lang);
      expect(await drawnWith(page)).toBe('classic');
    });

    test(
      `ParticipantsPage and CoursePage on a vert course, as its teacher, interface ${lang}`,
      { tag: '@matrix' },
      async ({ page, harness, loginAs }) => {
        await checkVertCoursePages(page, harness, loginAs, 'classic', lang);
      },
    );
  }

  test(
    'RestoreFilePage and the wizard up to Review, on bleu, as the administrator',
    { tag: '@matrix' },
    async ({ page, harness, loginAs }) => {
      await checkWizardToReview(page, harness, loginAs);
      expect(await drawnWith(page)).toBe('classic');
    },
  );

  test(
    'BackupBlock, added through Classic\'s "Add a block" list, interface fr then en',
    { tag: '@matrix' },
    async ({ page, harness, loginAs }) => {
      await checkBackupBlock(page, harness, loginAs, ['fr', 'en']);
      expect(await drawnWith(page)).toBe('classic');
    },
  );

  test(
    'RestoreProcessPage and RestoreCompletePage, on restores performed on bleu',
    { tag: '@matrix' },
    async ({ page, harness, loginAs }) => {
      await checkRestoreScreens(page, harness, loginAs);
      expect(await drawnWith(page)).toBe('classic');
    },
  );
});
