import type { Locator, Page } from 'playwright';
import { clickToMoodlePage, expectOne, gotoMoodlePage } from './moodle-page.js';
import { OnSite, type SiteContext } from './moodle-site.js';

/**
 * "Manage private backup files" (`/backup/backupfilesedit.php`, component user, filearea backup), reached
 * from the restore file page's button: Moodle's file manager over the user's private backup area, then
 * "Save changes". A file is deleted as the file manager's own Delete does (its draft-area request,
 * `repository/draftfiles_ajax.php?action=delete`), and the area is saved with the form's button.
 */
export class PrivateBackupsPage extends OnSite {
  readonly form: Locator;
  readonly draftItemId: Locator;
  readonly sesskey: Locator;
  readonly saveButton: Locator;

  constructor(site: SiteContext) {
    super(site);
    const { page } = this;
    this.form = page.locator('form:has(input[name="files_filemanager"])');
    this.draftItemId = this.form.locator('input[name="files_filemanager"]');
    this.sesskey = this.form.locator('input[name="sesskey"]');
    this.saveButton = this.form.locator('#id_submitbutton');
  }

  /** The restore file page's "Manage private backup files" button (a form posting to this page). */
  static manageButton(restoreFilePage: Page): Locator {
    return restoreFilePage
      .locator(
        'form[action*="/backup/backupfilesedit.php"]:has(input[name="component"][value="user"]):has(input[name="filearea"][value="backup"])',
      )
      .locator('button[type="submit"], input[type="submit"]');
  }

  /** From `/backup/restorefile.php?contextid=…`, the page of the user's private backup area. */
  async openFrom(restoreFileUrl: string): Promise<void> {
    await gotoMoodlePage(this.page, restoreFileUrl);
    const button = await expectOne(
      PrivateBackupsPage.manageButton(this.page),
      'restore file page',
      'PrivateBackupsPage.manageButton',
    );
    await clickToMoodlePage(this.page, button, /\/backup\/backupfilesedit\.php$/);
  }

  /** Deletes one file of the area and saves the area; lands back on the restore file page. */
  async deleteAndSave(filename: string): Promise<void> {
    const itemid = await (
      await expectOne(this.draftItemId, 'private backup files', 'PrivateBackupsPage.draftItemId')
    ).inputValue();
    const sesskey = await this.sesskey.first().inputValue();
    const response = await this.page.request.post(
      `${this.siteUrl}/repository/draftfiles_ajax.php?action=delete`,
      {
        form: { sesskey, itemid, filepath: '/', filename },
      },
    );
    const answer = response.ok() ? ((await response.json()) as unknown) : undefined;
    if (answer === false || answer === undefined || answer === null)
      throw new Error(
        `the file manager did not delete ${filename} (HTTP ${response.status()}): is it still in the private backup area?`,
      );
    const save = await expectOne(this.saveButton, 'private backup files', 'PrivateBackupsPage.saveButton');
    await clickToMoodlePage(this.page, save, /\/backup\/restorefile\.php$/);
  }
}
