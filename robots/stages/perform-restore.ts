import type { SiteContext } from '../../pages/moodle-site.js';
import { whatThePageSays } from '../../pages/moodle-page.js';
import { unexpectedPrecheckNotices, type ReleaseTraits } from '../../pages/moodle-release.js';
import { RestoreCompletePage } from '../../pages/restore-complete-page.js';
import { RestoreProcessPage } from '../../pages/restore-process-page.js';
import type { RestoreReviewPage } from '../../pages/restore-review-page.js';
import { currentRestoreStage } from '../../pages/restore-stage.js';
import type { StageRunner } from '../stage-runner.js';
import { watchAsyncRestore } from '../watch-async-restore.js';

/** Perform: the course is emptied, then filled from the backup, at once or by the site's task queue. */
export function performRestore(
  run: StageRunner,
  wizard: SiteContext,
  review: RestoreReviewPage,
  contextId: number,
): Promise<void> {
  const { restoreMs } = run.deps.timeouts;
  return run.on(
    wizard.page,
    'perform the restore',
    async () => {
      const restoreId = await review.restoreId();
      run.reach('Perform pressed');
      await review.perform(restoreMs);
      const process = new RestoreProcessPage(wizard);
      if (
        (await currentRestoreStage(wizard.page)) === 'process' &&
        (await process.precheckNotices.count()) > 0
      )
        await passPrechecks(run, process, wizard.site.traits);
      await run.stopOnMoodleError(wizard.page);
      if ((await currentRestoreStage(wizard.page)) === undefined) {
        const title = await whatThePageSays(wizard.page);
        run.fail(
          `after Perform the window is not Moodle's restore page (a server error or a lost connection): ${wizard.page.url()}${title ? ` "${title}"` : ''}`,
        );
      }
      if (await process.isAsynchronous()) {
        const id = (await process.asyncRestoreId()) ?? restoreId;
        await run.evidence.capture(wizard.page, 'restore queued', 'after');
        await watchAsyncRestore(process, id, contextId, { timeoutMs: restoreMs, log: run.log });
        return;
      }
      const complete = new RestoreCompletePage(wizard);
      await complete.success.first().waitFor({ timeout: restoreMs });
      const problems = await complete.problemMessages();
      if (problems.length > 0) await run.evidence.attach('restore-warnings', problems);
    },
    true,
  );
}

/** Moodle's precheck page proves nothing ran yet: the robot goes past it only for notices it knows. */
async function passPrechecks(run: StageRunner, process: RestoreProcessPage, traits: ReleaseTraits) {
  run.reach('held at the prechecks');
  const notices = await process.precheckMessages();
  const unexpected = unexpectedPrecheckNotices(traits, notices);
  await run.evidence.attach('precheck-notices', { release: traits.release, notices, unexpected });
  if (unexpected.length > 0 || !(await process.canContinuePastPrechecks()))
    run.refuse(`Moodle's prechecks report: ${notices.join(' | ')}`, 'prechecks');
  run.reach('past the prechecks');
  await process.continuePastPrechecks(run.deps.timeouts.restoreMs);
}
