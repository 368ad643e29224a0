import type { SiteContext } from '../../pages/moodle-site.js';
import { RestoreReviewPage } from '../../pages/restore-review-page.js';
import type { StageRunner } from '../stage-runner.js';

/** The wizard's Review stage: the last page before Perform. */
export async function reachReview(run: StageRunner, wizard: SiteContext): Promise<RestoreReviewPage> {
  await run.on(wizard.page, 'review', () => run.expectStage(wizard.page, 'review'));
  return new RestoreReviewPage(wizard);
}
