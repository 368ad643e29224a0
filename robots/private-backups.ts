import type { SiteContext } from '../pages/moodle-site.js';
import { PrivateBackupsPage } from '../pages/private-backups-page.js';
import { RestoreFilePage } from '../pages/restore-file-page.js';

/**
 * Removes the backup the block fetched from the account's private backup area, once the restore is
 * over or refused: an admin's night over 300 courses must not leave 300 backups in one account.
 * Checked on the restore file page afterwards; a file that stays is an error.
 *
 * The file manager saves the whole area from the draft copy made when its page opened: callers with
 * several workers on one account run it in a PrivateAreaTurns rewrite turn (see private-area-turns).
 */
export async function removeFetchedBackup(
  vert: SiteContext,
  contextId: number,
  filename: string,
): Promise<void> {
  await new PrivateBackupsPage(vert).deleteAndSave(contextId, filename);
  const files = new RestoreFilePage(vert);
  await files.goto(contextId);
  const left = (await files.privateBackups()).some((row) => row.filename === filename);
  if (left) throw new Error(`${filename} is still in the private backup area after its deletion`);
}
