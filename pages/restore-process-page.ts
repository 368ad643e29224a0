import type { Locator } from 'playwright';
import { clickAndWaitForNewPage, expectOne } from './moodle-page.js';
import { OnSite, type SiteContext } from './moodle-site.js';

export type AsyncRestoreState = 'pending' | 'running' | 'done' | 'failed';

/** Stage 32 "Process": prechecks, then the restore itself (streamed, or queued for cron). */
export class RestoreProcessPage extends OnSite {
  readonly precheckNotices: Locator;
  readonly precheckContinue: Locator;
  readonly asyncProgress: Locator;
  readonly syncProgress: Locator;

  constructor(site: SiteContext) {
    super(site);
    const { page } = this;
    this.precheckNotices = page.locator('.restore-precheck-notices .alert');
    this.precheckContinue = page.locator('form.backup-restore input[type="submit"]:not([name])');
    this.asyncProgress = page.locator('.progressbar_container [data-backupid]');
    this.syncProgress = page.locator('#executionprogress');
  }

  async precheckMessages(): Promise<string[]> {
    return (await this.precheckNotices.allInnerTexts()).map((text) => text.trim().replace(/\s+/g, ' '));
  }

  async canContinuePastPrechecks(): Promise<boolean> {
    return (await this.precheckContinue.count()) > 0;
  }

  async continuePastPrechecks(timeoutMs: number): Promise<void> {
    await expectOne(
      this.precheckContinue,
      'restore stage 6 Process (prechecks)',
      'RestoreProcessPage.precheckContinue',
    );
    await clickAndWaitForNewPage(this.page, this.precheckContinue, timeoutMs);
  }

  async isAsynchronous(): Promise<boolean> {
    return (await this.asyncProgress.count()) > 0;
  }

  async asyncRestoreId(): Promise<string | undefined> {
    return (await this.asyncProgress.first().getAttribute('data-backupid')) ?? undefined;
  }

  /**
   * Waits until Moodle reports the queued restore finished or failed. The page asks Moodle's progress
   * service (core_backup_get_async_backup_progress, the call behind its progress bar) every `pollMs`
   * instead of its own 15 s, one call at a time, and keeps the last answer; the robot waits on that
   * answer. Resolves with the last state seen when `timeoutMs` passes first. A later wait on the same
   * restore with another `pollMs` changes the pace and keeps the answer.
   */
  async waitForAsyncEnd(
    restoreId: string,
    contextId: number,
    options: { timeoutMs: number; pollMs: number },
  ): Promise<{ state: AsyncRestoreState; progress: number }> {
    await this.page.evaluate(
      ({ restoreId, contextId, pollMs }) => {
        type Ajax = { call: (requests: unknown[]) => Promise<unknown>[] };
        const page = window as unknown as {
          require: (deps: string[], done: (ajax: Ajax) => void) => void;
          ecampusRestorePoll?: { restoreId: string; pollMs: number; timer: number };
          ecampusRestoreProgress?: { status: number; progress: number } | undefined;
          ecampusRestorePollError?: string;
        };
        // Already asking about this restore at this pace (an earlier wait of the same page).
        const earlier = page.ecampusRestorePoll;
        if (earlier?.restoreId === restoreId && earlier.pollMs === pollMs) return;
        if (earlier) clearInterval(earlier.timer);
        if (earlier?.restoreId !== restoreId) delete page.ecampusRestoreProgress;
        // An object's method, not a named closure: tsx's transform wraps those in a __name() helper the
        // page does not have (the bench, run by tsx, failed on it after Perform).
        const poller = {
          asking: false,
          ask() {
            if (poller.asking) return;
            poller.asking = true;
            page.require(['core/ajax'], (ajax) => {
              const [request] = ajax.call([
                {
                  methodname: 'core_backup_get_async_backup_progress',
                  args: { backupids: [restoreId], contextid: contextId },
                },
              ]);
              Promise.resolve(request)
                .then(
                  (answer) => {
                    page.ecampusRestoreProgress = (answer as { status: number; progress: number }[])[0];
                  },
                  // Moodle can refuse a poll (the restore's record not written yet, a busy server): asked again next time.
                  (error: unknown) => {
                    page.ecampusRestorePollError = JSON.stringify(error);
                  },
                )
                .finally(() => {
                  poller.asking = false;
                });
            });
          },
        };
        poller.ask();
        page.ecampusRestorePoll = {
          restoreId,
          pollMs,
          timer: window.setInterval(() => {
            poller.ask();
          }, pollMs),
        };
      },
      { restoreId, contextId, pollMs: options.pollMs },
    );
    const lastAnswer = () =>
      (window as unknown as { ecampusRestoreProgress?: { status: number; progress: number } })
        .ecampusRestoreProgress;
    try {
      const handle = await this.page.waitForFunction(
        () => {
          const answer = (window as unknown as { ecampusRestoreProgress?: { status: number } })
            .ecampusRestoreProgress;
          return answer !== undefined && (answer.status === 1000 || answer.status === 900) ? answer : false;
        },
        undefined,
        // Reads the page's last answer, no request: often, so that the answer is seen as it lands.
        { polling: 50, timeout: options.timeoutMs },
      );
      return toState((await handle.jsonValue()) as { status: number; progress: number });
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'TimeoutError') throw error;
      return toState(await this.page.evaluate(lastAnswer));
    }
  }
}

function toState(answer: { status: number; progress: number } | undefined): {
  state: AsyncRestoreState;
  progress: number;
} {
  if (!answer) return { state: 'pending', progress: 0 };
  const state: AsyncRestoreState =
    answer.status === 1000
      ? 'done'
      : answer.status === 900
        ? 'failed'
        : answer.status >= 800
          ? 'running'
          : 'pending';
  return { state, progress: answer.progress };
}
