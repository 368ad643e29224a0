import type { BackupContents } from '../../backup-file/backup-contents.js';
import type { RestoreVerification } from '../../domain/outcome.js';
import { CoursePage } from '../../pages/course-page.js';
import { CourseServices } from '../../pages/course-services.js';
import { waitForMoodleReady } from '../../pages/moodle-page.js';
import { failedOutcome } from '../../rules/outcomes.js';
import { verifyRestoredCourse } from '../../rules/verify-restore.js';
import type { StageRunner } from '../stage-runner.js';
import { compareTheParticipants } from './compare-participants.js';
import type { CoursePeople } from './read-participants.js';

const STEP = 'verify the restored course';

/** What the course now holds, against the backup: a difference ends the run as failed after Perform. */
export async function verifyRestore(
  run: StageRunner,
  contents: BackupContents,
  people: CoursePeople,
): Promise<RestoreVerification> {
  const { ledger, runId } = run.deps;
  const { page } = run.vert;
  const { courseId } = run.course;
  const verification = await run.onVert(STEP, async () => {
    const coursePage = new CoursePage(run.vert);
    await coursePage.goto(courseId);
    await waitForMoodleReady(page);
    const restored = await new CourseServices(run.vert).contents(courseId);
    const result = verifyRestoredCourse(contents, restored);
    await run.evidence.attach('verification', { ...result, restored });
    return result;
  });
  if (!verification.matches) {
    // Past Perform all the same: who lost access is said as for a restore.
    const accessLost = await compareTheParticipants(run, people);
    const outcome = {
      ...failedOutcome(courseId, STEP, verification.differences.join('; '), true),
      ...(accessLost !== undefined && { accessLost }),
    };
    await ledger.recordFailedAfterPerform(courseId, runId, `restored content differs: ${outcome.reason}`);
    run.finish(outcome);
  }
  return verification;
}
