import type { Logger } from 'pino';
import type { RestoreProcessPage } from '../pages/restore-process-page.js';

const FIRST_POLL_MS = 250;

/**
 * Follows a queued (asynchronous) restore until cron has run it. Moodle's own progress page asks
 * every 15 s. The robot asks every quarter second during the first `reportEveryMs` (a small course
 * is restored as soon as cron picks it up, and each poll is one light service call), then every
 * second (`pollMs`) for as long as the restore lasts. Progress goes to the log every `reportEveryMs`.
 */
export async function watchAsyncRestore(
  process: RestoreProcessPage,
  restoreId: string,
  contextId: number,
  options: { timeoutMs: number; log: Logger; pollMs?: number; reportEveryMs?: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const reportEveryMs = options.reportEveryMs ?? 10_000;
  const steadyPollMs = options.pollMs ?? 1000;
  let pollMs = Math.min(FIRST_POLL_MS, steadyPollMs);
  for (;;) {
    const left = deadline - Date.now();
    const { state, progress } = await process.waitForAsyncEnd(restoreId, contextId, {
      timeoutMs: Math.max(1, Math.min(reportEveryMs, left)),
      pollMs,
    });
    pollMs = steadyPollMs;
    if (state === 'done') return;
    if (state === 'failed')
      throw new Error(
        "Moodle reports the asynchronous restore failed (see the course's restores in progress)",
      );
    if (Date.now() >= deadline) {
      throw new Error(
        `the asynchronous restore was not over after ${Math.round(options.timeoutMs / 1000)} s (state ${state}): is cron running on vert?`,
      );
    }
    options.log.info({ restoreId, state, progress: Math.round(progress * 100) }, 'restore under way');
  }
}
