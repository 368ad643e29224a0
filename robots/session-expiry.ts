import type { Page } from 'playwright';
import { SessionEnded } from '../pages/moodle-page.js';
import type { RestoreOutcome } from './restore-course.js';

/**
 * The robot's one answer when it cannot use the session it has: a saved session (MOODLE_STORAGE_STATE)
 * that has expired, a login page that is not Moodle's own form (a single sign-on the robot cannot fill
 * in), a session that ends while courses are still to be restored.
 */
export const SESSION_EXPIRED = 'session expired: run `ecampus-restore login`';

export function sessionExpiredReason(detail: string): string {
  return `${SESSION_EXPIRED} (${detail})`;
}

/** Whether a course stopped because the session was lost: the remaining courses are not started. */
export function stoppedBySessionLoss(outcome: RestoreOutcome): boolean {
  return outcome.status === 'refused' && outcome.reason.startsWith(SESSION_EXPIRED);
}

export function isSessionLoss(error: unknown): error is SessionEnded {
  return error instanceof SessionEnded;
}

/** The outcome of a course not started because the session was lost at an earlier one. */
export function notStartedAfterSessionLoss(courseId: number, lostAt: string): RestoreOutcome {
  return {
    status: 'refused',
    courseId,
    step: 'not started',
    reason: sessionExpiredReason(
      `the Moodle session ended during ${lostAt}; this course was not started, nothing changed on it: log in again and run the same courses again`,
    ),
  };
}

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
