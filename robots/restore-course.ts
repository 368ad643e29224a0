import type { CourseToRestore, RestoreOutcome } from '../domain/outcome.js';
import type { RestoreRobotDeps } from './restore-robot-deps.js';
import { StageRunner } from './stage-runner.js';
import { checkLedger } from './stages/check-ledger.js';
import { checkRelease } from './stages/check-release.js';
import { readParticipants } from './stages/read-participants.js';
import { readVertCourse } from './stages/read-vert-course.js';
import { checkBleu } from './stages/check-bleu.js';
import { predictAccessLoss } from './stages/predict-access-loss.js';
import { ensureBackupBlock } from './stages/ensure-block.js';
import { fetchBackup } from './stages/fetch-backup.js';
import { chooseTheBackup } from './stages/choose-backup.js';
import { checkBackupIsFresh } from './stages/check-freshness.js';
import { openBackup } from './stages/open-backup.js';
import { confirm } from './stages/confirm.js';
import { chooseDestination } from './stages/destination.js';
import { applyProfileSettings } from './stages/settings.js';
import { setSchema } from './stages/schema.js';
import { reachReview } from './stages/review.js';
import { endDryRun } from './stages/end-dry-run.js';
import { claimCourse } from './stages/claim-course.js';
import { performRestore } from './stages/perform-restore.js';
import { verifyRestore } from './stages/verify-restore.js';
import { compareTheParticipants } from './stages/compare-participants.js';
import { recordRestored } from './stages/record-restored.js';

export type { RestoreRobotDeps } from './restore-robot-deps.js';

/**
 * The seed procedure "Changement de plateforme & Restauration de cours", on one vert course:
 * open the course, add the backup block, fetch last year's backup, restore it over this course with
 * the profile's settings, verify the result. Every step leaves a screenshot and a manifest line; the
 * robot stops before "Perform restore" whenever it is unsure (see StageRunner for how a stage stops).
 */
export async function restoreCourse(
  course: CourseToRestore,
  deps: RestoreRobotDeps,
): Promise<RestoreOutcome> {
  const run = new StageRunner(course, deps);
  return run.run(async () => {
    await checkRelease(run);
    const ledger = await checkLedger(run);
    const { people, shortname } = await readParticipants(run);
    // Bleu's course is checked on bleu's page while vert's course is read: both only read.
    const bleuShortname = course.bleuShortname ?? shortname;
    const [contextId, bleuCourse] = await run.beside(
      () => readVertCourse(run, shortname, ledger.interrupted),
      () => checkBleu(run, bleuShortname),
    );
    run.rememberCourseContext(contextId);
    const restorer = await predictAccessLoss(run, people);

    const block = await ensureBackupBlock(run, ledger.before);
    const wizard = await fetchBackup(run, block, contextId);
    const backup = await chooseTheBackup(run, wizard, bleuCourse, bleuShortname);
    await checkBackupIsFresh(run, bleuCourse, backup.contents);
    await openBackup(run, wizard, backup);
    await confirm(run, wizard, backup);
    await chooseDestination(run, wizard);
    await applyProfileSettings(run, wizard);
    await setSchema(run, wizard, people, restorer);
    const review = await reachReview(run, wizard);
    await endDryRun(run, shortname, backup.filename);

    await claimCourse(run, review, shortname, backup.filename);
    await performRestore(run, wizard, review, contextId);
    const verification = await verifyRestore(run, backup.contents, people);
    const accessLost = await compareTheParticipants(run, people);
    return recordRestored(run, { shortname, backupFile: backup.filename, verification, accessLost });
  });
}
