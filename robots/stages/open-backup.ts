import type { Page } from 'playwright';
import { RestoreFilePage } from '../../pages/restore-file-page.js';
import type { StageRunner } from '../stage-runner.js';
import type { ChosenBackup } from './choose-backup.js';

/** The chosen backup's Restore link: the wizard starts. */
export function openBackup(run: StageRunner, wizard: Page, chosen: ChosenBackup): Promise<void> {
  const restoreFile = new RestoreFilePage(wizard, run.deps.vertUrl);
  return run.on(wizard, 'open the backup', () => restoreFile.chooseBackup(chosen.row));
}
