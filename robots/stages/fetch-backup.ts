import type { Page } from 'playwright';
import { withoutUrlSecrets } from '../../evidence/url-secrets.js';
import { CoursePage } from '../../pages/course-page.js';
import { whatThePageSays } from '../../pages/moodle-page.js';
import type { StageRunner } from '../stage-runner.js';
import type { BlockOnCourse } from './ensure-block.js';

const STEP = 'fetch the backup from bleu';

/**
 * "Télécharger la sauvegarde 24/25": bleu's backup copied into the private area, in a new window.
 * Returns that window: the restore wizard.
 */
export function fetchBackup(run: StageRunner, { block, openedDrawer }: BlockOnCourse): Promise<Page> {
  const { page, vertUrl, timeouts } = run.deps;
  const coursePage = new CoursePage(page, vertUrl);
  return run.onVert(
    STEP,
    async () => {
      let drawerToClose = openedDrawer;
      if (!(await block.fetchLink.isVisible()))
        drawerToClose = (await coursePage.openBlockDrawer()) || drawerToClose;
      const popup = await run.inFetchTurn(async () => {
        const opened = await block.openFetchWindow();
        await waitWithProgress(run, opened, timeouts.copyMs);
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
      await run.stopOnMoodleError(popup, STEP);
      if (!new URL(popup.url()).pathname.endsWith('/backup/restorefile.php')) {
        const title = await whatThePageSays(popup);
        run.fail(
          `the copy did not end on the restore page: ${withoutUrlSecrets(popup.url())}${title ? ` "${title}"` : ''}`,
        );
      }
      return popup;
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
