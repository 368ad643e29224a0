import { claimedElsewhere } from '../../ledger/claimed-elsewhere.js';
import type { RestoreReviewPage } from '../../pages/restore-review-page.js';
import type { StageRunner } from '../stage-runner.js';
import { TakenMeanwhile } from '../stop.js';

/**
 * Perform empties the course: it is claimed first, never twice. A claim that cannot be written (the
 * ledger's server out of reach) fails here, before Perform.
 */
export async function claimCourse(
  run: StageRunner,
  review: RestoreReviewPage,
  shortname: string,
  backupFile: string,
): Promise<void> {
  const { ledger, runId, force } = run.deps;
  const { courseId } = run.course;
  run.at('claim the course');
  const claim = await ledger.claimBeforePerform(
    {
      courseId,
      courseLabel: shortname,
      backupFile,
      runId,
      evidencePath: run.evidence.dir,
      restoreId: await review.restoreId(),
    },
    { force: force ?? false },
  );
  if (!claim.granted && claimedElsewhere(courseId, claim.status, runId, ledger)) throw new TakenMeanwhile();
  if (!claim.granted)
    run.refuse(`the ledger refuses: ${claim.status.state} (${claim.status.record.updatedAt})`);
  run.reach('claimed');
}
