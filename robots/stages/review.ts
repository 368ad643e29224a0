import type { Page } from 'playwright';
import { RestoreReviewPage } from '../../pages/restore-review-page.js';
import type { StageRunner } from '../stage-runner.js';

/** The wizard's Review stage: the last page before Perform. */
export async function reachReview(run: StageRunner, wizard: Page): Promise<RestoreReviewPage> {
  await run.on(wizard, 'review', () => run.expectStage(wizard, 'review'));
  return new RestoreReviewPage(wizard);
}
