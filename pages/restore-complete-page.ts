import type { Locator, Page } from 'playwright';
import type { SiteContext } from './moodle-site.js';

/** Stage 64 "Complete": the success notice and Continue to the restored course. */
export class RestoreCompletePage {
  readonly success: Locator;
  readonly problems: Locator;
  readonly continueForm: Locator;

  readonly page: Page;

  constructor(readonly site: SiteContext) {
    const { page } = site;
    this.page = page;
    this.success = page.locator('.alert-success');
    this.problems = page.locator('.backup-restore .alert-danger, .filealiasesfailures li');
    this.continueForm = page.locator('.continuebutton form[action$="/course/view.php"]');
  }

  async restoredCourseId(): Promise<number | undefined> {
    const id = this.continueForm.locator('input[name="id"]');
    return (await id.count()) > 0 ? Number(await id.inputValue()) : undefined;
  }

  async problemMessages(): Promise<string[]> {
    return (await this.problems.allInnerTexts()).map((text) => text.trim());
  }
}
