import type { APIRequestContext, Locator } from 'playwright';
import { decodeHtmlEntities } from './moodle-text.js';
import { clickToMoodlePage } from './moodle-page.js';
import { OnSite, type SiteContext } from './moodle-site.js';

export interface BackupFileRow {
  filename: string;
  /** The time column as the site shows it (when the file was stored in this area). */
  shownTime: string;
  restoreLink: Locator;
  /** Where the file can be downloaded (pluginfile URL), for reading its moodle_backup.xml. */
  downloadUrl: string | undefined;
}

/** `/backup/restorefile.php`: the backup areas and their Restore links. */
export class RestoreFilePage extends OnSite {
  readonly body: Locator;
  readonly fatalError: Locator;
  /** Restore links of the user's private backup area (component user, filearea backup). */
  readonly privateBackupLinks: Locator;
  /** Restore links of the course's automated backup area (bleu's "night"). */
  readonly automatedBackupLinks: Locator;

  constructor(site: SiteContext) {
    super(site);
    const { page } = this;
    this.body = page.locator('body#page-backup-restorefile');
    this.fatalError = page.locator('[data-rel="fatalerror"], .errorbox .errormessage');
    this.privateBackupLinks = page.locator(
      'table.backup-files-table a[href*="action=choosebackupfile"][href*="component=user"][href*="filearea=backup"]',
    );
    this.automatedBackupLinks = page.locator(
      'table.backup-files-table a[href*="action=choosebackupfile"][href*="component=backup"][href*="filearea=automated"]',
    );
  }

  async goto(contextId: number): Promise<void> {
    await this.page.goto(`${this.siteUrl}/backup/restorefile.php?contextid=${contextId}`);
  }

  async isShown(): Promise<boolean> {
    return (await this.body.count()) > 0;
  }

  /** Files of the user's private backup area (component user, filearea backup). */
  async privateBackups(): Promise<BackupFileRow[]> {
    const links = this.privateBackupLinks;
    const rows: BackupFileRow[] = [];
    for (const link of await links.all()) {
      const href = (await link.getAttribute('href')) ?? '';
      const filename = new URL(href, this.siteUrl).searchParams.get('filename') ?? '';
      const cells = link.locator('xpath=ancestor::tr[1]/td');
      const shownTime = ((await cells.nth(1).textContent()) ?? '').trim();
      const download = link.locator('xpath=ancestor::tr[1]//a[contains(@href, "pluginfile.php")]');
      const downloadUrl =
        (await download.count()) > 0
          ? ((await download.first().getAttribute('href')) ?? undefined)
          : undefined;
      rows.push({ filename, shownTime, restoreLink: link, downloadUrl });
    }
    return rows;
  }

  async chooseBackup(row: BackupFileRow): Promise<void> {
    await clickToMoodlePage(this.page, row.restoreLink, /\/backup\/restore\.php$/);
  }

  async errorMessage(): Promise<string | undefined> {
    if ((await this.fatalError.count()) === 0) return undefined;
    return ((await this.fatalError.first().innerText()) || '').trim();
  }
}

/**
 * The names in the user's private backup area, read over the page's session without leaving the page
 * (the restore page of the course's context lists them), or undefined when that page cannot be read.
 */
export async function privateBackupNames(
  request: APIRequestContext,
  siteUrl: string,
  contextId: number,
): Promise<string[] | undefined> {
  const answer = await request.get(`${siteUrl}/backup/restorefile.php?contextid=${contextId}`, {
    maxRedirects: 0,
  });
  return answer.ok() ? privateBackupNamesIn(await answer.text(), siteUrl) : undefined;
}

/** The private backup area's file names in the restore page's HTML (its Restore links). */
export function privateBackupNamesIn(html: string, siteUrl: string): string[] {
  const names = new Set<string>();
  for (const [, href = ''] of html.matchAll(/href="([^"]*action=choosebackupfile[^"]*)"/gu)) {
    const params = new URL(decodeHtmlEntities(href), siteUrl).searchParams;
    const filename = params.get('filename');
    if (params.get('component') === 'user' && params.get('filearea') === 'backup' && filename)
      names.add(filename);
  }
  return [...names];
}
