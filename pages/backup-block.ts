import type { Locator, Page } from 'playwright';
import { anyOfTexts, backupBlockTexts, type BackupBlockTexts } from '../domain/block-texts.js';
import { expectOne } from './moodle-page.js';
import { OnSite, type SiteContext } from './moodle-site.js';

/**
 * The backup block on vert, found as a person finds it: by its title (a Moodle block is a landmark
 * named by its title, of the release's role: pages/site-selectors.ts) when titles are configured, and by
 * its link's text ("Télécharger la sauvegarde 24/25" / "Download the 24/25 backup"), whatever the
 * plugin's markup, classes or data attributes. Hidden elements count (a closed block drawer still
 * holds the block): the robot opens the drawer before it clicks.
 */
export class BackupBlock extends OnSite {
  /** Our harness plugin's name (block_ecampus_restore), the default of BACKUP_BLOCK_NAME. */
  static readonly NAME = 'ecampus_restore';
  /** The seed's texts with the default year label, as the harness's block shows them. */
  static readonly SEED_TEXTS: BackupBlockTexts = backupBlockTexts('24/25', undefined, undefined);
  readonly root: Locator;
  readonly fetchLink: Locator;

  constructor(
    site: SiteContext,
    readonly texts: BackupBlockTexts,
  ) {
    super(site);
    const { page } = this;
    if (texts.titles.length > 0) {
      const name = anyOfTexts(texts.titles, true);
      this.root = site.selectors.backupBlock.landmarkRoles
        .map((role) => page.getByRole(role, { name, includeHidden: true }))
        .reduce((either, other) => either.or(other));
    } else {
      this.root = page.locator('body');
    }
    // Two runs adding the block at the same moment leave two instances on 4.4 (5.0 refuses the second
    // with an HTTP 500): both fetch the same backup, so the first one is used.
    this.fetchLink = this.root
      .getByRole('link', {
        name: anyOfTexts(texts.linkTexts, false),
        includeHidden: true,
      })
      .first();
  }

  /** Whether the course page shows the block and its link (to this user). */
  async isOnPage(): Promise<boolean> {
    return (await this.fetchLink.count()) > 0;
  }

  /** What the robot looks for, for a report. */
  describe(): string {
    const link = this.texts.linkTexts.map((text) => `"${text}"`).join(' or ');
    return this.texts.titles.length > 0
      ? `a block titled ${this.texts.titles.map((title) => `"${title}"`).join(' or ')} with a link ${link}`
      : `a link ${link}`;
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
