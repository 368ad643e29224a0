import type { Page } from 'playwright';

/**
 * What a report says about the site behind a page: its Moodle release (as the robot read it from the
 * site, see moodle-release.ts) and the theme the page was drawn with (Moodle writes it in `M.cfg.theme`
 * on every page). A screen the robot does not recognise is reported with both, never with a guess.
 */
const releasesBySite = new Map<string, string>();

export function rememberSiteRelease(siteUrl: string, release: string): void {
  releasesBySite.set(new URL(siteUrl).origin, release);
}

export interface SiteIdentity {
  release: string | undefined;
  theme: string | undefined;
}

export async function siteIdentity(page: Page): Promise<SiteIdentity> {
  const theme = await page
    .evaluate(() => (window as unknown as { M?: { cfg?: { theme?: unknown } } }).M?.cfg?.theme)
    .catch(() => undefined);
  const origin = URL.canParse(page.url()) ? new URL(page.url()).origin : '';
  return { release: releasesBySite.get(origin), theme: typeof theme === 'string' ? theme : undefined };
}

export function describeIdentity(identity: SiteIdentity): string {
  return `Moodle ${identity.release ?? '(release not read)'}, theme ${identity.theme ?? '(not a Moodle page)'}`;
}
