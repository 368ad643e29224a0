import type { Page } from 'playwright';

/** Fields that hold secrets: painted over in every screenshot. */
export const SECRET_FIELDS = 'input[type="password"]';

/**
 * Puts the page in a state whose screenshot depends only on what it shows, and returns what undoes it.
 *
 * A focused field keeps Chromium repainting around it (caret, focus ring); those partial repaints
 * leave anti-aliased edges nearby (a neighbouring button's border, say) one shade off, at random, so
 * two shots of the same page could differ even with the field masked. So a focused secret field is
 * blurred, and the whole page is repainted once before the shot. Pages without a secret field are
 * photographed as they are: the repaint costs up to 0.2 s a shot (bench/screenshot-cost.ts).
 */
export async function steadyForScreenshot(page: Page): Promise<() => Promise<void>> {
  const blurredSecret = await page
    .evaluate(async (secretFields) => {
      // Only a page with a secret field needs it: elsewhere, a stray shade decides nothing.
      if (document.querySelector(secretFields) === null) return false;
      const active = document.activeElement;
      const blurred = active instanceof HTMLElement && active.matches(secretFields) ? active : undefined;
      blurred?.blur();

      // A page Chromium does not paint (hidden) runs no frames: then the repaint is not waited for.
      // A method, not a named closure: tsx's transform would wrap one in a __name() the page lacks.
      const frames = {
        two() {
          return new Promise<void>((resolve) => {
            setTimeout(resolve, 1_000);
            requestAnimationFrame(() => {
              requestAnimationFrame(() => {
                resolve();
              });
            });
          });
        },
      };
      const hadStyle = document.documentElement.hasAttribute('style');
      const root = document.documentElement.style;
      const background = root.getPropertyValue('background-color');
      const priority = root.getPropertyPriority('background-color');
      root.setProperty('background-color', 'rgb(254, 254, 254)', 'important');
      await frames.two();
      if (background === '') root.removeProperty('background-color');
      else root.setProperty('background-color', background, priority);
      // Left as found, to the attribute: the markup decides whether the next shot is a new one.
      if (!hadStyle) document.documentElement.removeAttribute('style');
      await frames.two();

      if (blurred === undefined) return false;
      blurred.setAttribute('data-evidence-refocus', '');
      return true;
    }, SECRET_FIELDS)
    // A page navigating away meanwhile is photographed as it is: the mask still covers its secrets.
    .catch(() => false);

  return async () => {
    if (!blurredSecret) return;
    await page
      .evaluate(() => {
        const field = document.querySelector<HTMLElement>('[data-evidence-refocus]');
        field?.removeAttribute('data-evidence-refocus');
        field?.focus({ preventScroll: true });
      })
      .catch(() => undefined);
  };
}
