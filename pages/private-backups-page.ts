import type { APIResponse } from 'playwright';
import { isLoginAddress, SessionEnded } from './moodle-page.js';
import { OnSite } from './moodle-site.js';

/** The restore file page's "Manage private backup files" form (it posts to backupfilesedit.php). */
const MANAGE_FORM = {
  form: 'form[action*="/backup/backupfilesedit.php"]:has(input[name="component"][value="user"]):has(input[name="filearea"][value="backup"])',
  button: 'button[type="submit"], input[type="submit"]',
};
/** backupfilesedit.php's form: Moodle's file manager over the area, and its "Save changes". */
const FILE_MANAGER_FORM = { form: 'form:has(input[name="files_filemanager"])', button: '#id_submitbutton' };

interface FormToSend {
  action: string;
  fields: [string, string][];
}

/**
 * "Manage private backup files" (`/backup/backupfilesedit.php`, component user, filearea backup), reached
 * from the restore file page's button: Moodle's file manager over the user's private backup area, then
 * "Save changes". A file is deleted as the file manager's own Delete does (its draft-area request,
 * `repository/draftfiles_ajax.php?action=delete`), and the area is saved with the form's button.
 *
 * The two forms are sent as the browser sends them, with the session's cookies, without showing their
 * pages: the file manager's page is one of Moodle's heaviest to draw (its file picker), and the robot
 * photographs the restore file page the save leads back to.
 */
export class PrivateBackupsPage extends OnSite {
  /**
   * From the restore file page of `contextId`: deletes one file of the area and saves the area, as its
   * buttons do. Resolves once Moodle has led back to the restore file page.
   */
  async deleteAndSave(contextId: number, filename: string): Promise<void> {
    const restoreFileUrl = `${this.siteUrl}/backup/restorefile.php?contextid=${contextId}`;
    const restoreFile = await this.answer(
      await this.page.request.get(restoreFileUrl),
      'the restore file page',
    );
    const manage = await this.formOn(restoreFile, MANAGE_FORM, '"Manage private backup files" button');
    const editor = await this.answer(
      await this.page.request.post(manage.action, { form: Object.fromEntries(manage.fields) }),
      'the private backup files page',
    );
    const save = await this.formOn(editor, FILE_MANAGER_FORM, 'file manager');
    const field = (name: string) => save.fields.find(([key]) => key === name)?.[1];
    const itemid = field('files_filemanager');
    const sesskey = field('sesskey');
    if (itemid === undefined || sesskey === undefined)
      throw new Error(`the private backup files page has no draft area or session key: ${editor.url}`);
    const response = await this.page.request.post(
      `${this.siteUrl}/repository/draftfiles_ajax.php?action=delete`,
      { form: { sesskey, itemid, filepath: '/', filename } },
    );
    const answer = response.ok() ? ((await response.json()) as unknown) : undefined;
    if (answer === false || answer === undefined || answer === null)
      throw new Error(
        `the file manager did not delete ${filename} (HTTP ${response.status()}): is it still in the private backup area?`,
      );
    const saved = await this.answer(
      await this.page.request.post(save.action, { form: Object.fromEntries(save.fields) }),
      'the saved private backup files',
    );
    if (!/\/backup\/restorefile\.php$/.test(new URL(saved.url).pathname))
      throw new Error(
        `saving the private backup area did not lead back to the restore file page: ${saved.url}`,
      );
  }

  private async answer(response: APIResponse, what: string): Promise<{ url: string; html: string }> {
    const url = response.url();
    if (isLoginAddress(url)) throw new SessionEnded(`${what} answered with the login page`);
    if (!response.ok()) throw new Error(`${what} answered HTTP ${response.status()}: ${url}`);
    return { url, html: await response.text() };
  }

  /**
   * A form of a page Moodle sent, as its submit button would send it: its address and its fields
   * (the button's own name and value among them). Read by the browser from the page's markup, without
   * running its scripts.
   */
  private async formOn(
    page: { url: string; html: string },
    selector: { form: string; button: string },
    what: string,
  ): Promise<FormToSend> {
    const form = await this.page.evaluate(
      ({ html, selector }) => {
        const found = new DOMParser()
          .parseFromString(html, 'text/html')
          .querySelectorAll<HTMLFormElement>(selector.form);
        if (found.length !== 1) return found.length;
        const [element] = Array.from(found);
        if (element === undefined) return 0;
        const button = element.querySelector<HTMLButtonElement | HTMLInputElement>(selector.button);
        const fields = Array.from(element.querySelectorAll('input'))
          .filter((input) => input.name !== '' && input.type !== 'submit' && input.type !== 'button')
          .filter((input) => (input.type !== 'checkbox' && input.type !== 'radio') || input.checked)
          .map((input): [string, string] => [input.name, input.value]);
        if (button !== null && button.name !== '') fields.push([button.name, button.value]);
        return { action: element.getAttribute('action') ?? '', fields };
      },
      { html: page.html, selector },
    );
    if (typeof form === 'number')
      throw new Error(
        `${page.url} shows ${form === 0 ? 'no' : `${form} forms of its`} ${what} (looked for ${selector.form})`,
      );
    return { ...form, action: new URL(form.action, page.url).toString() };
  }
}
