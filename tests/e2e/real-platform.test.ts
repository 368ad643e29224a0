import { chmod } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { loadConfig, type Config } from '../../config/env.js';
import { psql } from '../../harness/database.js';
import { addCoursePairs } from '../../harness/course-pairs.js';
import { reset, teacherEnvironment, type HarnessStatus } from '../../harness/harness.js';
import { sitePaths } from '../../harness/paths.js';
import { endSessions } from '../../harness/site.js';
import { setBlockVariant, setVertTheme, type StandardTheme } from '../../harness/vert-appearance.js';
import { BackupBlock } from '../../pages/backup-block.js';
import { CoursePage } from '../../pages/course-page.js';
import { ScreenDifference } from '../../pages/moodle-page.js';
import { detectRelease } from '../../pages/moodle-release.js';
import { ParticipantsPage } from '../../pages/participants-page.js';
import { logInToBothSites, restoreCourses, type CourseOrder } from '../../session/restore-session.js';
import { describeError } from '../../rules/operator-errors.js';
import { SqliteLedger } from '../../ledger/sqlite-ledger.js';
import { CLI, cliEnvironment } from './cli-run.js';
import { HARNESS_VERSION, expect, test } from './moodle-harness.js';
import { runRobot } from './robot-run.js';
import { resolveSite } from '../../pages/moodle-site.js';
import { resolveSelectors } from '../../pages/site-selectors.js';

/**
 * Issue 28: ecampus's own vert, which the project does not control. Moodle's other standard theme
 * (Classic), a backup block that is not ours (other title, link text, markup), short names with
 * HTML-special characters, a single sign-on whose session expires. Each test changes vert (theme,
 * block, courses, sessions) and the harness is reset after the file.
 */
test.describe.configure({ mode: 'serial' });

const vertSite = sitePaths(HARNESS_VERSION, 'vert');

async function vertCount(sql: string): Promise<number> {
  return Number((await psql(sql, vertSite.database)).trim());
}

function blockInstances(courseId: number): Promise<number> {
  return vertCount(
    `SELECT count(*) FROM mdl_block_instances bi JOIN mdl_context c ON c.id = bi.parentcontextid WHERE c.instanceid = ${courseId} AND c.contextlevel = 50 AND bi.blockname = 'ecampus_restore'`,
  );
}

function robotConfig(harness: HarnessStatus, extra: Record<string, string> = {}): Config {
  return loadConfig({
    env: {
      ...teacherEnvironment(harness),
      EVIDENCE_DIR: test.info().outputPath('evidence'),
      LEDGER_PATH: test.info().outputPath('ledger.sqlite'),
      STEP_TIMEOUT_MS: '90000',
      COPY_TIMEOUT_MS: '180000',
      RESTORE_TIMEOUT_MS: '300000',
      MOODLE_VERSION: HARNESS_VERSION,
      ...extra,
    },
    envFile: test.info().outputPath('no.env'),
  });
}

const byName = (shortname: string): CourseOrder => ({
  target: { kind: 'shortname', shortname },
  label: shortname,
});

async function inLanguage(page: Page, harness: HarnessStatus, lang: 'fr' | 'en'): Promise<void> {
  await page.goto(`${harness.sites.vert.url}/my/?lang=${lang}`);
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
}

// Every test here changes vert (its theme, a block, its courses, sessions): each starts from the seed.
test.beforeEach(async () => {
  await reset(HARNESS_VERSION);
});

test.afterAll(async () => {
  await reset(HARNESS_VERSION);
});

for (const theme of ['classic', 'boost'] as const satisfies readonly StandardTheme[]) {
  for (const lang of ['fr', 'en'] as const) {
    test(
      `${theme}, interface ${lang}: the course page's controls and the seed's block are found whatever the theme draws`,
      // One pair in every run; the others with the whole matrix.
      { tag: theme === 'classic' && lang === 'fr' ? [] : ['@matrix'] },
      async ({ page, harness, loginAs }) => {
        await setVertTheme(HARNESS_VERSION, theme);
        const vert = harness.sites.vert;
        await loginAs(page, 'vert');
        await inLanguage(page, harness, lang);
        const participants = new ParticipantsPage(await resolveSite(page, vert.url));
        await participants.goto(vert.courses['VERT-ONLY'] ?? 0);
        expect(await participants.currentUserId()).toBeDefined();
        expect(await participants.courseFullname()).toBe('Nouveau cours sans passé');

        const site = await resolveSite(page, vert.url);
        // The theme read once for the site, and its family's selectors.
        expect(site.site.theme).toEqual({ name: theme, family: theme });
        expect(site.selectors).toEqual(resolveSelectors(site.site.release, theme));
        const course = new CoursePage(site);
        await course.goto(vert.courses['VERT-ONLY'] ?? 0);
        expect(
          await page.evaluate(() => (window as { M?: { cfg?: { theme?: string } } }).M?.cfg?.theme),
        ).toBe(theme);
        expect(await course.editSwitch.count(), 'Boost switch or Classic button').toBe(1);
        expect(await course.addBlockButton.count(), 'not in edit mode').toBe(0);
        // Boost draws its block drawer for a course with blocks or in edit mode (the seed's have none).
        expect(await course.hasBlockDrawer(), 'no block yet, not in edit mode').toBe(false);
        await course.turnEditingOn();
        expect(await course.hasBlockDrawer()).toBe(theme === 'boost');
        expect(await course.addBlockButton.count(), 'Boost link or Classic list').toBe(1);

        const block = new BackupBlock(await resolveSite(page, vert.url), BackupBlock.SEED_TEXTS);
        expect(await block.isOnPage()).toBe(false);
        await course.addBlock(BackupBlock.NAME, block.fetchLink);
        expect(await block.fetchLink.count()).toBe(1);
        expect(await block.fetchLink.isVisible()).toBe(true);
        await expect(block.fetchLink).toHaveText(
          lang === 'fr' ? 'Télécharger la sauvegarde 24/25' : 'Download the 24/25 backup',
        );
        // Added once: found again by its link, it is not added a second time.
        await course.goto(vert.courses['VERT-ONLY'] ?? 0);
        expect(await block.isOnPage()).toBe(true);
        expect(await blockInstances(vert.courses['VERT-ONLY'] ?? 0)).toBe(1);
      },
    );
  }
}

test('a screen the robot does not know is reported with what differs: screen, locator, release and theme, no guessed cause', async ({
  page,
  harness,
  loginAs,
}) => {
  await setVertTheme(HARNESS_VERSION, 'classic');
  const vert = harness.sites.vert;
  await detectRelease(page, vert.url, HARNESS_VERSION);
  // A student may not edit: the course page has no edit-mode control at all.
  await loginAs(page, 'vert', {
    username: 'student1',
    password: harness.accounts.find((account) => account.username === 'student1')?.password ?? '',
  });
  const course = new CoursePage(await resolveSite(page, vert.url));
  await page.goto(`${vert.url}/course/view.php?id=${vert.courses['HIST-GRP'] ?? 0}`);
  const error = await course.turnEditingOn().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ScreenDifference);
  const message = (error as Error).message;
  expect(message).toContain('course page: CoursePage.editSwitch');
  expect(message).toContain('finds no element on');
  expect(message).toContain(`(Moodle ${HARNESS_VERSION}, theme classic)`);
  expect(message).not.toMatch(/release shows differently|teach pages\/moodle-release/);
});

test('Classic theme, French interface: ANG-EC1 goes through the whole procedure, the block added through Classic\'s "Add a block" list', async ({
  page,
  harness,
  loginAs,
}) => {
  await setVertTheme(HARNESS_VERSION, 'classic');
  const courseId = harness.sites.vert.courses['ANG-EC1'] ?? 0;
  await loginAs(page, 'vert');
  await inLanguage(page, harness, 'fr');
  const { outcome } = await runRobot(page, harness, 'ANG-EC1');
  expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'restored', courseId });
  if (outcome.status !== 'restored') return;
  expect(outcome.verification.differences).toEqual([]);
  expect(outcome.verification.counts.restoredActivities).toBeGreaterThan(0);
});

test.describe('a block that is not ours: other title, link text and markup, texts set in config', () => {
  const variant = { title: 'Archives du CEMU', linkText: "Reprendre mon cours de l'an dernier" };
  const variantTexts = { BACKUP_BLOCK_TITLE: variant.title, BACKUP_LINK_TEXT: variant.linkText };

  test('found by its title and its link, not by its markup; the seed texts do not find it', async ({
    page,
    harness,
    loginAs,
  }) => {
    await setBlockVariant(HARNESS_VERSION, variant);
    const vert = harness.sites.vert;
    await loginAs(page, 'vert');
    const course = new CoursePage(await resolveSite(page, vert.url));
    await course.goto(vert.courses['VERT-ONLY'] ?? 0);
    await course.turnEditingOn();
    const config = robotConfig(harness, variantTexts);
    const block = new BackupBlock(await resolveSite(page, vert.url), config.backupBlock);
    await course.addBlock(config.blockName, block.fetchLink);
    // Not our markup: no data-block, no data-action, none of our classes.
    expect(await page.locator('section.block[data-block="ecampus_restore"]').count()).toBe(0);
    expect(await page.locator('[data-action="ecampus-restore-fetch"]').count()).toBe(0);
    expect(await page.locator('.block_ecampus_restore').count()).toBe(0);
    await expect(block.root).toHaveCount(1);
    await expect(block.fetchLink).toHaveCount(1);
    await expect(
      new BackupBlock(await resolveSite(page, vert.url), BackupBlock.SEED_TEXTS).fetchLink,
    ).toHaveCount(0);
    // A title that is not the block's: its link is not taken from elsewhere.
    const otherTitle = robotConfig(harness, { ...variantTexts, BACKUP_BLOCK_TITLE: 'Autre bloc' });
    await expect(
      new BackupBlock(await resolveSite(page, vert.url), otherTitle.backupBlock).fetchLink,
    ).toHaveCount(0);
  });

  test(
    'a block already on the course is reused: HIST-GRP restored through it, none added',
    { tag: '@matrix' },
    async ({ page, harness, loginAs }) => {
      await setBlockVariant(HARNESS_VERSION, variant);
      const vert = harness.sites.vert;
      const courseId = vert.courses['HIST-GRP'] ?? 0;
      await loginAs(page, 'vert');
      const course = new CoursePage(await resolveSite(page, vert.url));
      await course.goto(courseId);
      await course.turnEditingOn();
      const config = robotConfig(harness, variantTexts);
      await course.addBlock(
        config.blockName,
        new BackupBlock(await resolveSite(page, vert.url), config.backupBlock).fetchLink,
      );
      expect(await blockInstances(courseId)).toBe(1);

      // With the seed's texts the robot does not see it, tries to add ours, and stops before Perform.
      const [blind] = await restoreCourses(robotConfig(harness), [byName('HIST-GRP')]);
      expect(blind?.outcome).toMatchObject({ status: 'failed', step: 'add the backup block' });
      expect(JSON.stringify(blind?.outcome)).toContain(
        'the course page does not show a link \\"Télécharger la sauvegarde 24/25\\"',
      );
      expect(JSON.stringify(blind?.outcome)).toContain('check BACKUP_BLOCK_TITLE and BACKUP_LINK_TEXT');
      expect(await blockInstances(courseId)).toBe(1);

      const [result] = await restoreCourses(config, [byName('HIST-GRP')]);
      expect(result?.outcome, JSON.stringify(result?.outcome)).toMatchObject({
        status: 'restored',
        courseId,
      });
      // "Delete the content, then restore" removes the course's blocks too, the reused one with them:
      // nothing of the robot's run is left on the course.
      expect(await blockInstances(courseId)).toBe(0);
      const manifest = readFileSync(`${result?.evidenceDir}/manifest.json`, 'utf8');
      expect(manifest).not.toContain('add the backup block');
    },
  );
});

test(
  'short names with &, <, ", \' accents and spaces: restored by name and by id, compared as Moodle stores them; a tag in a name refused before any change',
  { tag: '@matrix' },
  async ({ harness }) => {
    test.setTimeout(12 * 60_000);
    const names = ['TD & TP Économie 2', `L1 < L2 "public" l'an`];
    // Moodle's own wizard refuses it (error/setting_invalid_text at Settings), by hand as by robot.
    const tagged = `M1 <Droit> 'privé'`;
    const ids = await addCoursePairs(HARNESS_VERSION, [...names, tagged]);
    const config = robotConfig(harness);
    const results = await restoreCourses(config, [
      byName(names[0] ?? ''),
      { target: { kind: 'id', id: ids[names[1] ?? ''] ?? 0 }, label: 'second' },
      byName(tagged),
    ]);
    for (const [index, name] of names.entries()) {
      expect(results[index]?.outcome, JSON.stringify(results[index]?.outcome)).toMatchObject({
        status: 'restored',
        courseId: ids[name],
        shortname: name,
      });
    }
    expect(results[2]?.outcome, JSON.stringify(results[2]?.outcome)).toMatchObject({
      status: 'refused',
      courseId: ids[tagged],
      step: 'check the course on bleu',
    });
    expect(JSON.stringify(results[2]?.outcome)).toContain('holds an HTML tag');
    expect(await blockInstances(ids[tagged] ?? 0)).toBe(0);
  },
);

test.describe('single sign-on: a session the robot cannot use stops it before any course is touched', () => {
  test('a saved session that has expired: "session expired: run `ecampus-restore login`", nothing touched', async ({
    page,
    harness,
    loginAs,
  }) => {
    await loginAs(page, 'vert');
    const storageState = test.info().outputPath('session.json');
    await page.context().storageState({ path: storageState });
    // A saved session others may read is refused at start (MOODLE_STORAGE_STATE): the robot's own is 0600.
    await chmod(storageState, 0o600);
    await page.context().close();
    await endSessions(vertSite, harness.teacher);

    const environment = cliEnvironment(
      harness,
      { username: '', password: '' },
      test.info().outputPath('cli'),
    );
    const run = await promisify(execFile)(CLI[0], [...CLI.slice(1), 'restore', 'ANG-EC1'], {
      env: { ...environment, MOODLE_USERNAME: '', MOODLE_PASSWORD: '', MOODLE_STORAGE_STATE: storageState },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^vert session expired: run `ecampus-restore login` \(.*not logged in to vert.*\): it saves a new session/,
    );
    expect(run.stderr).not.toMatch(/MOODLE_PASSWORD/);
    const ledgerFile = test.info().outputPath('cli', 'ledger.sqlite');
    if (existsSync(ledgerFile)) {
      const ledger = new SqliteLedger(ledgerFile);
      try {
        const courseId = harness.sites.vert.courses['ANG-EC1'] ?? 0;
        expect((await ledger.status(courseId)).state).toBe('never-touched');
      } finally {
        await ledger.close();
      }
    }
    expect(await blockInstances(harness.sites.vert.courses['ANG-EC1'] ?? 0)).toBe(0);
  });

  test("a login page that is not Moodle's own form (a sign-on's): the same stop", async ({
    browser,
    harness,
  }) => {
    const context = await browser.newContext();
    const signOn = `${harness.sites.vert.url}/stand-in-sso/login`;
    await context.route(`${harness.sites.vert.url}/login/index.php*`, (route) =>
      route.fulfill({ status: 302, headers: { location: signOn } }),
    );
    await context.route(`${signOn}*`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<html><head><title>Authentification centrale</title></head><body><form><input name="username"><input name="password" type="password"><button>Se connecter</button></form></body></html>',
      }),
    );
    try {
      const error = await logInToBothSites(context, robotConfig(harness)).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect((error as Error).message).toMatch(
        /^vert shows a single sign-on page, not Moodle's login form: .*\/stand-in-sso\/login/,
      );
      expect(describeError(error)).toMatch(
        /^vert shows a single sign-on page.*: no session the robot can use: run `ecampus-restore login` to log in by hand, then set MOODLE_STORAGE_STATE/,
      );
    } finally {
      await context.close();
    }
  });

  test('a session lost between courses: that course stops at its first page, the next is not started, both say so', async ({
    harness,
  }) => {
    const config = robotConfig(harness);
    let participantsReads = 0;
    const results = await restoreCourses(
      config,
      [byName('VERT-ONLY'), byName('ANG-EC1'), byName('HIST-GRP')],
      {
        // The session ends on the server once the first course is over, as a sign-on's would.
        stepHook: async (name, action) => {
          if (name === 'read the participants' && ++participantsReads === 2)
            await endSessions(vertSite, harness.teacher);
          return action();
        },
      },
    );
    const [first, lost, next] = results.map((result) => result.outcome);
    expect(first).toMatchObject({ status: 'refused', step: 'check the course on bleu' });
    expect(lost).toMatchObject({ status: 'refused', step: 'read the participants' });
    expect(lost?.status === 'refused' && lost.reason).toMatch(
      /^session expired: run `ecampus-restore login` \(the Moodle session ended/,
    );
    expect(next).toMatchObject({ status: 'refused', step: 'not started' });
    expect(next?.status === 'refused' && next.reason).toContain('during course ANG-EC1');
    for (const shortname of ['ANG-EC1', 'HIST-GRP'])
      expect(await blockInstances(harness.sites.vert.courses[shortname] ?? 0), shortname).toBe(0);
    const ledger = new SqliteLedger(config.ledgerPath);
    try {
      for (const shortname of ['ANG-EC1', 'HIST-GRP'])
        expect((await ledger.status(harness.sites.vert.courses[shortname] ?? 0)).state).toBe('never-touched');
    } finally {
      await ledger.close();
    }
  });
});
