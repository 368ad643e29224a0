import type { SiteContext } from '../../pages/moodle-site.js';
import { RestoreConfirmPage } from '../../pages/restore-confirm-page.js';
import { confirmBackupMatches } from '../../rules/backup-choice.js';
import type { StageRunner } from '../stage-runner.js';
import type { ChosenBackup } from './choose-backup.js';

/** The wizard's Confirm stage: is it really this course's backup? */
export function confirm(run: StageRunner, wizard: SiteContext, chosen: ChosenBackup): Promise<void> {
  return run.on(wizard.page, 'confirm', async () => {
    await run.expectStage(wizard.page, 'confirm');
    const confirmPage = new RestoreConfirmPage(wizard);
    const details = await confirmPage.details();
    await run.evidence.attach('confirm-details', details);
    if (details.originalCourseId === undefined) run.fail('the Confirm stage shows no original course id');
    const check = confirmBackupMatches(
      {
        originalCourseId: details.originalCourseId,
        originalCourseShortname: chosen.contents.originalCourseShortname,
        type: chosen.contents.type,
      },
      chosen.expectedOriginal,
    );
    if (check.verdict === 'refuse') run.refuse(check.detail);
    await confirmPage.continue();
  });
}
