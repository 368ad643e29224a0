import type { SiteContext } from '../../pages/moodle-site.js';
import { RestoreFilePage } from '../../pages/restore-file-page.js';
import type { StageRunner } from '../stage-runner.js';
import type { ChosenBackup } from './choose-backup.js';

/** The chosen backup's Restore link: the wizard starts. */
export function openBackup(run: StageRunner, wizard: SiteContext, chosen: ChosenBackup): Promise<void> {
  const restoreFile = new RestoreFilePage(wizard);
  return run.on(wizard.page, 'open the backup', () => restoreFile.chooseBackup(chosen.row));
}
