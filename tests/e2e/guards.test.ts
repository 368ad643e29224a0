import { psql } from '../../harness/database.js';
import { reset } from '../../harness/harness.js';
import { sitePaths } from '../../harness/paths.js';
import { CourseServices } from '../../pages/course-services.js';
import { callMoodleService, gotoMoodlePage } from '../../pages/moodle-page.js';
import { SqliteLedger } from '../../ledger/sqlite-ledger.js';
import { CONTENT_KEYS, courseState } from './course-state.js';
import { HARNESS_VERSION, expect, test } from './moodle-harness.js';
import { bleuPageOf, runRobot } from './robot-run.js';

// Each refusal is proven on the server: the course's content is compared before and after.
test.describe.configure({ mode: 'serial', timeout: 15 * 60_000 });

test.beforeAll(async () => {
  await reset(HARNESS_VERSION);
});
test.afterAll(async () => {
  await reset(HARNESS_VERSION);
});

test(
  'a course with no previous course on bleu is refused before anything changes on vert',
  { tag: '@matrix' },
  async ({ page, harness, loginAs }) => {
    const courseId = harness.sites.vert.courses['VERT-ONLY'] ?? 0;
    const before = await courseState(courseId);
    await loginAs(page, 'vert');
    const { outcome } = await runRobot(page, harness, 'VERT-ONLY');
    expect(outcome).toMatchObject({ status: 'refused', step: 'check the course on bleu' });
    expect(outcome.status === 'refused' && outcome.reason).toContain(
      'no course has the short name "VERT-ONLY" on bleu',
    );
    // Not even the block: the preflight comes before any change.
    expect(await courseState(courseId)).toEqual(before);
  },
);

test(
  'a bleu course this teacher cannot open is refused before anything changes on vert',
  { tag: '@matrix' },
  async ({ page, harness, loginAs }) => {
    const bleu = sitePaths(HARNESS_VERSION, 'bleu');
    const bleuCourseId = harness.sites.bleu.courses['TRAP-FULL'] ?? 0;
    await psql(
      `DELETE FROM mdl_user_enrolments WHERE userid = (SELECT id FROM mdl_user WHERE username = 'teacher1') AND enrolid IN (SELECT id FROM mdl_enrol WHERE courseid = ${bleuCourseId})`,
      bleu.database,
    );
    const courseId = harness.sites.vert.courses['VERT-ONLY'] ?? 0;
    const before = await courseState(courseId);
    await loginAs(page, 'vert');
    const { outcome } = await runRobot(page, harness, 'VERT-ONLY', { bleuShortname: 'TRAP-FULL' });
    expect(outcome).toMatchObject({ status: 'refused', step: 'check the course on bleu' });
    expect(outcome.status === 'refused' && outcome.reason).toContain(
      'cannot open the bleu course "TRAP-FULL"',
    );
    expect(await courseState(courseId)).toEqual(before);
  },
);

test(
  'a bleu course changed after its backup is refused ("restore tomorrow"); --allow-stale restores it',
  { tag: '@matrix' },
  async ({ page, harness, loginAs }) => {
    const courseId = harness.sites.vert.courses['HIST-GRP'] ?? 0;
    const bleuCourseId = harness.sites.bleu.courses['HIST-GRP'] ?? 0;
    await loginAs(page, 'vert');
    // The teacher renames an activity on bleu after last night's backup.
    const bleuPage = await bleuPageOf(page, harness);
    const bleuCourse = new CourseServices({ page: bleuPage, url: harness.sites.bleu.url });
    await gotoMoodlePage(bleuPage, `${harness.sites.bleu.url}/course/view.php?id=${bleuCourseId}`);
    const renamed = (await bleuCourse.contents(bleuCourseId)).activities.find((a) => !a.isNewsForum);
    if (!renamed) throw new Error('HIST-GRP on bleu has no activity');
    await callMoodleService(bleuPage, 'core_update_inplace_editable', {
      component: 'core_course',
      itemtype: 'activityname',
      itemid: renamed.cmid,
      value: `${renamed.name} (updated today)`,
    });

    const before = await courseState(courseId);
    const ledgerPath = test.info().outputPath('ledger.sqlite');
    const refused = await runRobot(page, harness, 'HIST-GRP', { bleuPage, ledgerPath });
    expect(refused.outcome).toMatchObject({ status: 'refused', step: 'check the backup is fresh' });
    const reason = refused.outcome.status === 'refused' ? refused.outcome.reason : '';
    expect(reason).toContain('content changed after the last backup: restore tomorrow');
    expect(reason).toContain(`${renamed.name} (updated today)`);
    const after = await courseState(courseId);
    for (const key of CONTENT_KEYS) expect(after[key], key).toBe(before[key]);

    const stale = await runRobot(page, harness, 'HIST-GRP', { bleuPage, ledgerPath, allowStale: true });
    expect(stale.outcome, JSON.stringify(stale.outcome)).toMatchObject({ status: 'restored' });
    expect((await courseState(courseId)).finishedRestores).toBe(1);
  },
);

test(
  'a course the ledger marks restored but empty now is reported as such, not skipped; --force restores it again and says so',
  { tag: '@matrix' },
  async ({ page, harness, loginAs }) => {
    // The ledger says an earlier run restored HIST-GRP; the course on the server is empty again.
    await reset(HARNESS_VERSION);
    const courseId = harness.sites.vert.courses['HIST-GRP'] ?? 0;
    const ledgerPath = test.info().outputPath('ledger.sqlite');
    const earlier = new SqliteLedger(ledgerPath);
    await earlier.claimBeforePerform({
      courseId,
      courseLabel: 'HIST-GRP',
      backupFile: 'earlier.mbz',
      runId: 'earlier-run',
      evidencePath: '/evidence/earlier-run',
    });
    await earlier.recordRestored(courseId, 'earlier-run');
    await earlier.close();

    const before = await courseState(courseId);
    await loginAs(page, 'vert');
    const skipped = await runRobot(page, harness, 'HIST-GRP', { ledgerPath });
    expect(skipped.outcome).toMatchObject({ status: 'refused', step: 'check the ledger', courseId });
    expect(skipped.outcome.status === 'refused' && skipped.outcome.reason).toContain(
      'but the course is empty now',
    );
    expect(await courseState(courseId)).toEqual(before);

    const forced = await runRobot(page, harness, 'HIST-GRP', { ledgerPath, force: true });
    expect(forced.outcome, JSON.stringify(forced.outcome)).toMatchObject({ status: 'restored' });
    const history = await (async () => {
      const reader = new SqliteLedger(ledgerPath);
      try {
        return await reader.history(courseId);
      } finally {
        await reader.close();
      }
    })();
    expect(history.map((event) => `${event.event}${event.forced ? ' (forced)' : ''}`)).toEqual([
      'claimed',
      'restored',
      'claimed (forced)',
      'restored',
    ]);
  },
);
