import type { Locator } from 'playwright';
import { OnSite, type SiteContext } from './moodle-site.js';

/** Stage 64 "Complete": the success notice and Continue to the restored course. */
export class RestoreCompletePage extends OnSite {
  readonly success: Locator;
  readonly problems: Locator;
  readonly continueForm: Locator;

  constructor(site: SiteContext) {
    super(site);
    const { page } = this;
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
