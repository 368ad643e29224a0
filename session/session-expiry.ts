import type { Page } from 'playwright';

/**
 * Whether a page a site answered (after `goto` of one of its pages) shows a logged-in user on that
 * very site: a Moodle page (M defined), at the site's address, not one of its login pages, without
 * Moodle's `notloggedin` body class. What it shows instead, when it does not.
 */
export async function loggedInProblem(page: Page, siteUrl: string): Promise<string | undefined> {
  const landed = page.url();
  const site = new URL(siteUrl);
  const at = URL.canParse(landed) ? new URL(landed) : undefined;
  if (at === undefined || at.origin !== site.origin || !at.pathname.startsWith(site.pathname))
    return `sent to ${at ? `${at.origin}${at.pathname}` : landed}, not ${siteUrl}`;
  if (at.pathname.includes('/login/')) return `sent to Moodle's login page ${at.origin}${at.pathname}`;
  const state = await page
    .evaluate(() => ({
      moodle: 'M' in window,
      loggedOut: document.body.classList.contains('notloggedin'),
    }))
    .catch(() => ({ moodle: false, loggedOut: true }));
  if (!state.moodle) return `${at.origin}${at.pathname} is not a Moodle page`;
  if (state.loggedOut) return `${at.origin}${at.pathname} shows no logged-in user`;
  return undefined;
}
