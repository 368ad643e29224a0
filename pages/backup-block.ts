import type { Locator, Page } from 'playwright';
import { expectOne } from './moodle-page.js';

/** Our block on vert: "Télécharger la sauvegarde 24/25" / "Download the 24/25 backup". */
export class BackupBlock {
  static readonly NAME = 'ecampus_restore';
  readonly root: Locator;
  readonly fetchLink: Locator;

  constructor(
    readonly page: Page,
    blockName = BackupBlock.NAME,
  ) {
    // Two runs adding the block at the same moment leave two instances on 4.4 (5.0 refuses the second
    // with an HTTP 500): both fetch the same backup, so the first one is used.
    this.root = page.locator(`section.block[data-block="${blockName}"]`).first();
    this.fetchLink = this.root.locator('a[data-action="ecampus-restore-fetch"]');
  }

  /**
   * Clicks the link and returns the window it opens. That window's first load lasts as long as the
   * copy from bleu: the caller waits for it with the copy timeout.
   */
  async openFetchWindow(): Promise<Page> {
    const link = await expectOne(this.fetchLink, 'course page, backup block', 'BackupBlock.fetchLink');
    const [popup] = await Promise.all([this.page.context().waitForEvent('page'), link.click()]);
    return popup;
  }
}
