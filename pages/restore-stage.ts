import type { Page } from 'playwright';

/** The restore wizard's stages, numbered as Moodle's breadcrumb shows them (1. Confirm … 7. Complete). */
export const RESTORE_STAGES = [
  'confirm',
  'destination',
  'settings',
  'schema',
  'review',
  'process',
  'complete',
] as const;
export type RestoreStage = (typeof RESTORE_STAGES)[number];

/** Which stage the page shows, from the breadcrumb's current item (language-independent). */
export async function currentRestoreStage(page: Page): Promise<RestoreStage | undefined> {
  const index = await page.evaluate(() => {
    const bars = document.querySelectorAll('.backup_progress');
    const bar = bars[bars.length - 1];
    if (!bar) return -1;
    return Array.from(bar.querySelectorAll('.backup_stage')).findIndex((item) =>
      item.classList.contains('backup_stage_current'),
    );
  });
  return RESTORE_STAGES[index];
}

/** A Moodle error page or an inline fatal error box, with its message; undefined when there is none. */
export async function moodleErrorOn(page: Page): Promise<string | undefined> {
  const box = page.locator('[data-rel="fatalerror"], .errorbox');
  if ((await box.count()) === 0) return undefined;
  const message = page.locator('[data-rel="fatalerror"] .errormessage, .errorbox .errormessage');
  const text =
    (await message.count()) > 0 ? await message.first().innerText() : await box.first().innerText();
  return text.trim().replace(/\s+/g, ' ');
}
