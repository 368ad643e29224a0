import type { RestoreOutcome } from '../domain/outcome.js';

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
