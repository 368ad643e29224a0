import type { Page } from 'playwright';
import type { SiteContext } from '../../pages/moodle-site.js';
import { withoutUrlSecrets } from '../../evidence/url-secrets.js';
import { CoursePage } from '../../pages/course-page.js';
import { throwIfSentToLogin, whatThePageSays } from '../../pages/moodle-page.js';
import type { StageRunner } from '../stage-runner.js';
import type { BlockOnCourse } from './ensure-block.js';
import { privateBackupNames, privateBackupNamesIn } from '../../pages/restore-file-page.js';

const STEP = 'fetch the backup from bleu';

/**
 * "Télécharger la sauvegarde 24/25": bleu's backup copied into the private area, in a new window.
 * Returns that window: the restore wizard, on vert.
 */
export function fetchBackup(
  run: StageRunner,
  { block, openedDrawer }: BlockOnCourse,
  contextId: number,
): Promise<SiteContext> {
  const { page, vertUrl, timeouts } = run.deps;
  const coursePage = new CoursePage(run.vert);
  return run.onVert(
    STEP,
    async () => {
      let drawerToClose = openedDrawer;
      if (!(await block.fetchLink.isVisible()))
        drawerToClose = (await coursePage.openBlockDrawer()) || drawerToClose;
      const popup = await run.inFetchTurn(async () => {
        // What the private area holds before the copy: the file the copy adds is the robot's to remove,
        // even when it cannot be chosen (another course's, a backup holding users...).
        const before = await privateBackupNames(page.request, vertUrl, contextId);
        const opened = await block.openFetchWindow();
        await waitWithProgress(run, opened, timeouts.copyMs);
        // The window lands on the restore page, which lists the area: no second request for it.
        const after = before && privateBackupNamesIn(await opened.content(), vertUrl);
        const added = after?.filter((name) => !before?.includes(name)) ?? [];
        if (added.length === 1 && added[0] !== undefined) run.rememberFetchedFile(added[0]);
        return opened;
      });
      // The drawer the robot opened is closed again while bleu's backup is copied: Moodle remembers it
      // for the user, and with both drawers open every page of the wizard closed one of them again.
      const drawerClosed = drawerToClose
        ? coursePage.closeBlockDrawer().then(
            () => undefined,
            (error: unknown) => error,
          )
        : undefined;
      popup.setDefaultTimeout(timeouts.stepMs);
      const notClosed = await drawerClosed;
      if (notClosed !== undefined)
        run.log.warn(
          { step: run.step },
          `the block drawer stays open: ${notClosed instanceof Error ? notClosed.message : 'unknown error'}`,
        );
      await run.evidence.capture(popup, STEP, 'after');
      throwIfSentToLogin(popup);
      await run.stopOnMoodleError(popup, STEP);
      if (!new URL(popup.url()).pathname.endsWith('/backup/restorefile.php')) {
        const title = await whatThePageSays(popup);
        run.fail(
          `the copy did not end on the restore page: ${withoutUrlSecrets(popup.url())}${title ? ` "${title}"` : ''}`,
        );
      }
      return run.vert.in(popup);
    },
    true,
  );
}

async function waitWithProgress(run: StageRunner, opened: Page, copyMs: number): Promise<void> {
  const started = Date.now();
  const progress = setInterval(() => {
    run.log.info(
      { step: STEP, waitedS: Math.round((Date.now() - started) / 1000) },
      'copy from bleu under way',
    );
  }, 10_000);
  try {
    await opened.waitForLoadState('load', { timeout: copyMs });
  } finally {
    clearInterval(progress);
  }
}
