import { PROFILES } from '../../config/profiles/index.js';
import { createLogger } from '../../evidence/logger.js';
import { EvidenceRun, verifyEvidence } from '../../evidence/recorder.js';
import { psql } from '../../harness/database.js';
import { reset } from '../../harness/harness.js';
import { availableLangpacks } from '../../harness/langpacks.js';
import { sitePaths } from '../../harness/paths.js';
import { setConfig } from '../../harness/site.js';
import { restoreCourse, type RestoreOutcome } from '../../robots/restore-course.js';
import { SqliteLedger } from '../../robots/sqlite-ledger.js';
import { LoginPage } from '../../pages/login-page.js';
import { endUserToursWhenShown } from '../../pages/moodle-page.js';
import { HARNESS_VERSION, expect, test } from './moodle-harness.js';
import type { Page } from '@playwright/test';
import type { HarnessStatus } from '../../harness/harness.js';

test.describe.configure({ mode: 'serial' });

const vertSite = sitePaths(HARNESS_VERSION, 'vert');

async function vertCount(sql: string): Promise<number> {
  return Number((await psql(sql, vertSite.database)).trim());
}

async function runRobot(
  page: Page,
  harness: HarnessStatus,
  shortname: string,
  options: { dryRun?: boolean; bleuPage?: Page } = {},
): Promise<{ outcome: RestoreOutcome; evidenceDir: string }> {
  const { bleuPage = await bleuPageOf(page, harness), ...robotOptions } = options;
  const evidence = await EvidenceRun.create(test.info().outputPath('evidence'), shortname);
  const ledger = new SqliteLedger(test.info().outputPath('ledger.sqlite'));
  const runLogger = createLogger({
    level: 'info',
    file: test.info().outputPath('run.log'),
    console: null,
  });
  try {
    const outcome = await restoreCourse(
      { courseId: harness.sites.vert.courses[shortname] ?? 0 },
      {
        page,
        bleuPage,
        vertUrl: harness.sites.vert.url,
        bleuUrl: harness.sites.bleu.url,
        blockName: 'ecampus_restore',
        profile: PROFILES['cemu-2425'] ?? (undefined as never),
        ledger,
        evidence,
        logger: runLogger.logger,
        runId: `test-${shortname}`,
        timeouts: { stepMs: 30_000, copyMs: 120_000, restoreMs: 300_000 },
        ...robotOptions,
      },
    );
    return { outcome, evidenceDir: evidence.dir };
  } finally {
    await ledger.close();
    await runLogger.close();
  }
}

/** A second page of the same browser, logged in to bleu as the teacher. */
async function bleuPageOf(page: Page, harness: HarnessStatus): Promise<Page> {
  const teacher = harness.accounts.find((account) => account.username === harness.teacher);
  if (!teacher) throw new Error('the harness names no teacher');
  const bleuPage = await page.context().newPage();
  await endUserToursWhenShown(bleuPage);
  const login = new LoginPage(bleuPage, harness.sites.bleu.url);
  await login.goto();
  expect(await login.submitCredentials(teacher.username, teacher.password)).toBe('logged-in');
  return bleuPage;
}

test.afterAll(async () => {
  await setConfig(vertSite, 'enableasyncbackup', '1');
  await reset(HARNESS_VERSION);
});

for (const [shortname, mode] of [
  ['ANG-EC1', 'asynchronous'],
  ['HIST-GRP', 'synchronous'],
  ['BIO-LARGE', 'asynchronous'],
] as const) {
  test(`${shortname} is restored into its empty twin (${mode} restore) as the procedure says`, async ({
    page,
    harness,
    loginAs,
  }) => {
    await setConfig(vertSite, 'enableasyncbackup', mode === 'asynchronous' ? '1' : '0');
    const courseId = harness.sites.vert.courses[shortname] ?? 0;
    await loginAs(page, 'vert');

    const { outcome, evidenceDir } = await runRobot(page, harness, shortname);

    expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'restored', courseId });
    if (outcome.status !== 'restored') return;
    expect(outcome.verification.differences).toEqual([]);
    expect(outcome.verification.counts.restoredActivities).toBeGreaterThan(0);
    // Excluded by the profile: calendar events and the backup's users.
    expect(await vertCount(`SELECT count(*) FROM mdl_event WHERE courseid = ${courseId}`)).toBe(0);
    expect(
      await vertCount(
        `SELECT count(DISTINCT ue.userid) FROM mdl_user_enrolments ue JOIN mdl_enrol e ON e.id = ue.enrolid WHERE e.courseid = ${courseId}`,
      ),
    ).toBe(1);
    const check = await verifyEvidence(evidenceDir);
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
  });
}

test('in the French interface, ANG-EC1 is restored all the same', async ({ page, harness, loginAs }) => {
  test.skip(
    !availableLangpacks().includes('fr'),
    'no French language pack: npm run harness -- import-langpack <git-dir> fr',
  );
  await reset(HARNESS_VERSION);
  await loginAs(page, 'vert');
  await page.goto(`${harness.sites.vert.url}/my/?lang=fr`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  const { outcome } = await runRobot(page, harness, 'ANG-EC1');
  expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'restored' });
  expect(outcome.status === 'restored' && outcome.verification.differences).toEqual([]);
});

test('a dry run goes up to Review and leaves the course empty', async ({ page, harness, loginAs }) => {
  await setConfig(vertSite, 'enableasyncbackup', '1');
  await reset(HARNESS_VERSION);
  await loginAs(page, 'vert');
  const courseId = harness.sites.vert.courses['ANG-EC1'] ?? 0;
  const { outcome } = await runRobot(page, harness, 'ANG-EC1', { dryRun: true });
  expect(outcome.status).toBe('dry-run');
  expect(
    await vertCount(`SELECT count(*) FROM mdl_course_modules WHERE course = ${courseId}`),
  ).toBeLessThanOrEqual(1);
});

test('a course that already has content is refused before anything changes', async ({
  page,
  harness,
  loginAs,
}) => {
  await loginAs(page, 'vert');
  const courseId = harness.sites.vert.courses['TRAP-FULL'] ?? 0;
  const before = await vertCount(`SELECT count(*) FROM mdl_course_modules WHERE course = ${courseId}`);
  const { outcome } = await runRobot(page, harness, 'TRAP-FULL');
  expect(outcome).toMatchObject({ status: 'refused', step: 'check the course is empty' });
  expect(await vertCount(`SELECT count(*) FROM mdl_course_modules WHERE course = ${courseId}`)).toBe(before);
  expect(
    await vertCount(
      `SELECT count(*) FROM mdl_block_instances bi JOIN mdl_context c ON c.id = bi.parentcontextid WHERE c.instanceid = ${courseId} AND c.contextlevel = 50 AND bi.blockname = 'ecampus_restore'`,
    ),
  ).toBe(0);
});

test('a course with a co-teacher and a hand-enrolled student is refused before Perform: nobody loses an enrolment', async ({
  page,
  harness,
  loginAs,
}) => {
  await loginAs(page, 'vert');
  const courseId = harness.sites.vert.courses['TRAP-2TEACH'] ?? 0;
  const enrolments = `SELECT count(*) FROM mdl_user_enrolments ue JOIN mdl_enrol e ON e.id = ue.enrolid WHERE e.courseid = ${courseId}`;
  const before = await vertCount(enrolments);
  const { outcome } = await runRobot(page, harness, 'TRAP-2TEACH');
  expect(outcome).toMatchObject({ status: 'refused', step: 'schema' });
  expect(outcome.status === 'refused' && outcome.reason).toContain('Bruno Petit');
  expect(await vertCount(enrolments)).toBe(before);
  expect(
    await vertCount(`SELECT count(*) FROM mdl_course_modules WHERE course = ${courseId}`),
  ).toBeLessThanOrEqual(1);
});
