import type { Locator } from 'playwright';
import { clickAndWaitForNewPage, expectOne } from './moodle-page.js';
import { OnSite, type SiteContext } from './moodle-site.js';

export interface ConfirmDetails {
  /** "Original course ID": the second line of the course details. */
  originalCourseId: number | undefined;
  /** "Course title", as the page shows it. */
  originalCourseTitle: string | undefined;
  /** "Original site URL" line of the backup details, when shown. */
  detailLines: string[];
}

/** Stage 1 "Confirm": what the backup is, and Continue. */
export class RestoreConfirmPage extends OnSite {
  readonly courseDetails: Locator;
  readonly continueButton: Locator;

  constructor(site: SiteContext) {
    super(site);
    const { page } = this;
    this.courseDetails = page.locator('[aria-labelledby="backupcoursedetailsheader"]');
    this.continueButton = page.locator(
      '.continuebutton form[action$="/backup/restore.php"]:has(input[name="stage"][value="2"]) [type="submit"]',
    );
  }

  async details(): Promise<ConfirmDetails> {
    const values = this.courseDetails.locator(':scope > .detail-pair .detail-pair-value');
    const title = (await values.count()) > 0 ? (await values.nth(0).innerText()).trim() : undefined;
    const idText = (await values.count()) > 1 ? (await values.nth(1).innerText()).trim() : '';
    const detailLines = await this.page
      .locator('[aria-labelledby="backupdetailsheader"] .detail-pair')
      .evaluateAll((pairs) => pairs.map((pair) => pair.textContent.replace(/\s+/g, ' ').trim()));
    return {
      originalCourseId: /^\d+$/.test(idText) ? Number(idText) : undefined,
      originalCourseTitle: title,
      detailLines,
    };
  }

  async continue(): Promise<void> {
    await expectOne(this.continueButton, 'restore stage 1 Confirm', 'RestoreConfirmPage.continueButton');
    await clickAndWaitForNewPage(this.page, this.continueButton);
  }
}
