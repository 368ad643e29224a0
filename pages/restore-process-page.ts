import type { Locator, Page } from 'playwright';
import { clickAndWaitForNewPage, expectOne } from './moodle-page.js';

export type AsyncRestoreState = 'pending' | 'running' | 'done' | 'failed';

/** Stage 32 "Process": prechecks, then the restore itself (streamed, or queued for cron). */
export class RestoreProcessPage {
  readonly precheckNotices: Locator;
  readonly precheckContinue: Locator;
  readonly asyncProgress: Locator;
  readonly syncProgress: Locator;

  constructor(readonly page: Page) {
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
   * Waits until Moodle reports the queued restore finished or failed, asking through the page's own
   * web service client (core_backup_get_async_backup_progress, the call behind the page's progress
   * bar) every `pollMs` instead of the page's 15 s. Resolves with the last state seen when `timeoutMs`
   * passes first.
   */
  async waitForAsyncEnd(
    restoreId: string,
    contextId: number,
    options: { timeoutMs: number; pollMs: number },
  ): Promise<{ state: AsyncRestoreState; progress: number }> {
    const ask = async ({ restoreId, contextId }: { restoreId: string; contextId: number }) => {
      const requireJs = (
        window as unknown as { require: (deps: string[], done: (ajax: unknown) => void) => void }
      ).require;
      const ajax = await new Promise<{ call: (requests: unknown[]) => Promise<unknown>[] }>((resolve) => {
        requireJs(['core/ajax'], (module) => {
          resolve(module as { call: (requests: unknown[]) => Promise<unknown>[] });
        });
      });
      const [request] = ajax.call([
        {
          methodname: 'core_backup_get_async_backup_progress',
          args: { backupids: [restoreId], contextid: contextId },
        },
      ]);
      // Moodle can refuse a poll (the restore's record not written yet, a busy server): ask again next time.
      const answer = await Promise.resolve(request).then(
        (value) => value as { status: number; progress: number }[],
        (error: unknown) => {
          (window as unknown as { ecampusRestorePollError?: string }).ecampusRestorePollError =
            JSON.stringify(error);
          return [];
        },
      );
      const [first] = answer;
      (window as unknown as { ecampusRestoreProgress?: unknown }).ecampusRestoreProgress = first;
      return first !== undefined && (first.status === 1000 || first.status === 900) ? first : false;
    };
    try {
      const handle = await this.page.waitForFunction(
        ask,
        { restoreId, contextId },
        {
          polling: options.pollMs,
          timeout: options.timeoutMs,
        },
      );
      return toState((await handle.jsonValue()) as { status: number; progress: number });
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'TimeoutError') throw error;
      const last = await this.page.evaluate(
        () =>
          (window as unknown as { ecampusRestoreProgress?: { status: number; progress: number } })
            .ecampusRestoreProgress,
      );
      return toState(last);
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
