import type { BrowserContext, Page } from 'playwright';
import type { MoodleRelease } from '../domain/moodle-releases.js';
import { SessionEnded } from './moodle-page.js';
import { detectRelease, releaseTraits, type ReleaseTraits } from './moodle-release.js';
import { resolveSelectors, type SiteSelectors, type ThemeFamily } from './site-selectors.js';

/** What the robot knows of a Moodle site once it has looked: release, theme, and their selectors. */
export interface MoodleSite {
  readonly url: string;
  readonly release: MoodleRelease;
  /** The theme the site draws its pages with (`M.cfg.theme`), and the family it belongs to. */
  readonly theme: { readonly name: string | undefined; readonly family: ThemeFamily };
  /** Behaviour of the release beyond selectors (the precheck notices it can show). */
  readonly traits: ReleaseTraits;
  readonly selectors: SiteSelectors;
}

/**
 * A window logged in to a Moodle site (or about to log in), before the robot knows its release and
 * theme: enough for the login form and the site's services, which are the same on every release.
 */
export interface SiteSession {
  readonly page: Page;
  readonly url: string;
}

/**
 * One window on a Moodle site whose release and theme are known: what every page object of a screen
 * that differs between them is handed. The restore wizard is another window of the same site (`in`).
 */
export class SiteContext implements SiteSession {
  constructor(
    readonly page: Page,
    readonly site: MoodleSite,
  ) {}

  get url(): string {
    return this.site.url;
  }

  get selectors(): SiteSelectors {
    return this.site.selectors;
  }

  /** The same site in another window (the one the backup block opens). */
  in(page: Page): SiteContext {
    return new SiteContext(page, this.site);
  }
}

/**
 * What every page object stands on: its window and the site it shows, `page` and `siteUrl` at hand.
 * Screens that differ by release or theme take a SiteContext; the login form and the site's services,
 * the same everywhere, a SiteSession.
 */
export abstract class OnSite<S extends SiteSession = SiteContext> {
  readonly page: Page;
  readonly siteUrl: string;

  constructor(readonly site: S) {
    this.page = site.page;
    this.siteUrl = site.url;
  }
}

/**
 * The family of the theme a page of the site was drawn with, from its HTML: Boost's layout puts the
 * page in drawers (`<div id="page" … class="drawers …">`), Classic's in a fluid container with block
 * columns (`<div id="page" class="container-fluid …">` beside `data-region="blocks-column"`).
 */
export function themeOfPage(html: string): MoodleSite['theme'] {
  const name = /"theme":"([a-z0-9_]+)"/.exec(html)?.[1];
  const pageClass = /<div\b[^>]*\bid="page"[^>]*>/.exec(html)?.[0] ?? '';
  const classes = /\bclass="([^"]*)"/.exec(pageClass)?.[1]?.split(/\s+/) ?? [];
  const family: ThemeFamily = classes.includes('drawers')
    ? 'boost'
    : classes.includes('container-fluid') && /data-region="blocks-column"/.test(html)
      ? 'classic'
      : 'other';
  return { name, family };
}

/** The theme a logged-in user's pages are drawn with, from the user's course overview page. */
async function readSiteTheme(page: Page, url: string): Promise<MoodleSite['theme']> {
  const answer = await page.request.get(`${url}/my/courses.php`);
  // Logged out, Moodle answers with its login page, whose layout says nothing of the course pages'.
  if (new URL(answer.url()).pathname.endsWith('/login/index.php'))
    throw new SessionEnded(`${url}/my/courses.php`);
  return themeOfPage(answer.ok() ? await answer.text() : '');
}

/** Sites already looked at, per browser session: one look per site and session, then read from here. */
const sitesBySession = new WeakMap<BrowserContext, Map<string, Promise<MoodleSite>>>();

async function lookAtSite(page: Page, url: string, expectedRelease?: MoodleRelease): Promise<MoodleSite> {
  const [release, theme] = await Promise.all([
    detectRelease(page, url, expectedRelease),
    readSiteTheme(page, url),
  ]);
  return {
    url,
    release,
    theme,
    traits: releaseTraits(release),
    selectors: resolveSelectors(release, theme.family),
  };
}

/**
 * The site behind `url`, as `page` (logged in there) sees it: release (checked against the configured
 * one), theme, and the selectors for both, read once per browser session.
 */
export async function resolveSite(
  page: Page,
  url: string,
  expectedRelease?: MoodleRelease,
): Promise<SiteContext> {
  let sites = sitesBySession.get(page.context());
  if (sites === undefined) {
    sites = new Map();
    sitesBySession.set(page.context(), sites);
  }
  const key = `${url} ${expectedRelease ?? ''}`;
  let site = sites.get(key);
  if (site === undefined) {
    site = lookAtSite(page, url, expectedRelease);
    sites.set(key, site);
    // A failed look is not kept: the next course looks again.
    site.catch(() => sites.delete(key));
  }
  return new SiteContext(page, await site);
}

/**
 * A site context for a site whose release and theme are known without looking (a page of a test,
 * a site an earlier run described).
 */
export function knownSite(
  page: Page,
  url: string,
  release: MoodleRelease,
  theme: MoodleSite['theme'] = { name: undefined, family: 'other' },
): SiteContext {
  return new SiteContext(page, {
    url,
    release,
    theme,
    traits: releaseTraits(release),
    selectors: resolveSelectors(release, theme.family),
  });
}
