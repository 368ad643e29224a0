import { withoutUrlSecrets } from '../evidence/url-secrets.js';
import type { RestoreOutcome } from '../domain/outcome.js';

/**
 * The refused and failed outcomes are made here, and only here: their reasons go to the ledger, the
 * console, the batch's CSV and the support message, and a reason quoting an address (a Moodle error,
 * a page the robot did not expect) must not carry its session key or token there.
 */
export function refusedOutcome(
  courseId: number,
  step: string,
  reason: string,
): Extract<RestoreOutcome, { status: 'refused' }> {
  return { status: 'refused', courseId, step, reason: withoutUrlSecrets(reason) };
}

export function failedOutcome(
  courseId: number,
  step: string,
  reason: string,
  courseEmptied: boolean,
): Extract<RestoreOutcome, { status: 'failed' }> {
  return { status: 'failed', courseId, step, reason: withoutUrlSecrets(reason), courseEmptied };
}
