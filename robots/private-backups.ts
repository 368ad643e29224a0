import type { Page } from 'playwright';
import { PrivateBackupsPage } from '../pages/private-backups-page.js';
import { RestoreFilePage } from '../pages/restore-file-page.js';

/**
 * Removes the backup the block fetched from the account's private backup area, once the restore is
 * over or refused: an admin's night over 300 courses must not leave 300 backups in one account.
 * Checked on the restore file page afterwards; a file that stays is an error.
 *
 * KNOWN RACE: the file manager saves the whole area from the draft copy made when its page opened. Two
 * sessions of one account (a batch with several workers) can therefore bring back a file the other
 * just removed, or remove a file the other fetched meanwhile. Seen in a 2-worker admin batch (ANG-EC1's
 * file stayed). Until the removal is serialised per account, run admin batches with one worker or
 * KEEP_FETCHED_BACKUP=true.
 */
export async function removeFetchedBackup(
  page: Page,
  vertUrl: string,
  contextId: number,
  filename: string,
): Promise<void> {
  const restoreFileUrl = `${vertUrl}/backup/restorefile.php?contextid=${contextId}`;
  const files = new RestoreFilePage(page, vertUrl);
  const area = new PrivateBackupsPage(page, vertUrl);
  await area.openFrom(restoreFileUrl);
  await area.deleteAndSave(filename);
  if (!(await files.isShown())) await files.goto(contextId);
  const left = (await files.privateBackups()).some((row) => row.filename === filename);
  if (left) throw new Error(`${filename} is still in the private backup area after its deletion`);
}
