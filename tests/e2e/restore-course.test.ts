import { verifyEvidence } from '../../evidence/recorder.js';
import { runRobot } from './robot-run.js';
import { psql } from '../../harness/database.js';
import { reset } from '../../harness/harness.js';
import { availableLangpacks } from '../../harness/langpacks.js';
import { sitePaths } from '../../harness/paths.js';
import { setConfig } from '../../harness/site.js';
import { HARNESS_VERSION, expect, test } from './moodle-harness.js';

test.describe.configure({ mode: 'serial' });

const vertSite = sitePaths(HARNESS_VERSION, 'vert');

async function vertCount(sql: string): Promise<number> {
  return Number((await psql(sql, vertSite.database)).trim());
}

test.afterAll(async () => {
  await setConfig(vertSite, 'enableasyncbackup', '1');
  await reset(HARNESS_VERSION);
});

// The seed's own interface is French: ANG-EC1 runs in French when the pack is installed
// (npm run harness -- import-langpack <git-dir> fr), HIST-GRP in English.
const french = availableLangpacks().includes('fr');

for (const [shortname, mode, lang] of [
  ['ANG-EC1', 'asynchronous', french ? 'fr' : 'en'],
  ['HIST-GRP', 'synchronous', 'en'],
] as const) {
  // ANG-EC1 runs in every test run; the synchronous path with the whole matrix (npm run test:all).
  const tag = mode === 'synchronous' ? ['@matrix'] : [];
  test(
    `${shortname} is restored into its empty twin (${mode} restore, interface ${lang}) as the procedure says`,
    { tag },
    async ({ page, harness, loginAs }) => {
      await setConfig(vertSite, 'enableasyncbackup', mode === 'asynchronous' ? '1' : '0');
      const courseId = harness.sites.vert.courses[shortname] ?? 0;
      await loginAs(page, 'vert');
      await page.goto(`${harness.sites.vert.url}/my/?lang=${lang}`);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);

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
    },
  );
}

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

test(
  'a course that already has content is refused before anything changes',
  { tag: '@matrix' },
  async ({ page, harness, loginAs }) => {
    await loginAs(page, 'vert');
    const courseId = harness.sites.vert.courses['TRAP-FULL'] ?? 0;
    const before = await vertCount(`SELECT count(*) FROM mdl_course_modules WHERE course = ${courseId}`);
    const { outcome } = await runRobot(page, harness, 'TRAP-FULL');
    expect(outcome).toMatchObject({ status: 'refused', step: 'check the course is empty' });
    expect(await vertCount(`SELECT count(*) FROM mdl_course_modules WHERE course = ${courseId}`)).toBe(
      before,
    );
    expect(
      await vertCount(
        `SELECT count(*) FROM mdl_block_instances bi JOIN mdl_context c ON c.id = bi.parentcontextid WHERE c.instanceid = ${courseId} AND c.contextlevel = 50 AND bi.blockname = 'ecampus_restore'`,
      ),
    ).toBe(0);
  },
);

// The co-teacher trap (TRAP-2TEACH), as its teacher and as the admin: tests/e2e/restorer-access.test.ts.
