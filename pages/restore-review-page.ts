import type { Locator } from 'playwright';
import { clickAndWaitForNewPage, expectOne } from './moodle-page.js';
import { OnSite, type SiteContext } from './moodle-site.js';

/** Stage 16 "Review": everything read-only, and "Perform restore". */
export class RestoreReviewPage extends OnSite {
  readonly form: Locator;
  readonly performButton: Locator;

  constructor(site: SiteContext) {
    super(site);
    const { page } = this;
    this.form = page.locator('form:has(input[name="_qf__restore_review_form"])');
    this.performButton = this.form.locator('#id_submitbutton');
  }

  /** The restore controller's id (32 hex), which names the asynchronous restore too. */
  async restoreId(): Promise<string> {
    return this.form.locator('input[name="restore"]').inputValue();
  }

  /**
   * Presses "Perform restore". The response is the process page: with synchronous restores it only
   * finishes loading when the restore is over, so the caller gives it the restore timeout.
   */
  async perform(timeoutMs: number): Promise<void> {
    await expectOne(this.performButton, 'restore stage 5 Review', 'RestoreReviewPage.performButton');
    await clickAndWaitForNewPage(this.page, this.performButton, timeoutMs);
  }
}
