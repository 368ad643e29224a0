import type { CDPSession, Page } from 'playwright';
import { SECRET_FIELDS } from './steady-page.js';

/** Painted over secret fields, as Playwright's own `mask` does. */
const MASK_STYLE = `${SECRET_FIELDS} { color: transparent !important; background: #ff00ff !important;
  text-shadow: none !important; -webkit-text-fill-color: transparent !important; }`;

const sessions = new WeakMap<Page, Promise<CDPSession>>();

function sessionOf(page: Page): Promise<CDPSession> {
  let session = sessions.get(page);
  if (session === undefined) {
    session = page.context().newCDPSession(page);
    sessions.set(page, session);
  }
  return session;
}

/**
 * A PNG of the whole page, secret fields painted over and the caret hidden.
 *
 * Chromium's own capture (DevTools `Page.captureScreenshot`) with its fast PNG encoding, which
 * Playwright's `page.screenshot` does not offer: about half the time of
 * `page.screenshot({ fullPage: true })`, for a slightly larger file. The page is laid out again at its
 * full height only when it does not fit in the window. Styles are added only to pages that need them
 * (a secret field, a focused field): a rule on every element costs a restyle of the whole page.
 */
export async function captureWholePage(page: Page): Promise<Buffer> {
  const session = await sessionOf(page);
  const prepared = await page
    .evaluate(
      ({ secretFields, maskStyle }) => {
        const root = document.documentElement;
        let styled = false;
        if (document.querySelector(secretFields) !== null) {
          const style = document.createElement('style');
          style.setAttribute('data-evidence-capture', '');
          style.textContent = maskStyle;
          document.head.append(style);
          styled = true;
        }
        const focused = document.activeElement;
        if (focused instanceof HTMLElement && focused.matches('input, textarea, [contenteditable]')) {
          focused.setAttribute('data-evidence-caret', focused.style.caretColor);
          focused.style.caretColor = 'transparent';
          styled = true;
        }
        return {
          styled,
          width: Math.max(root.scrollWidth, document.body.scrollWidth),
          height: Math.max(root.scrollHeight, document.body.scrollHeight),
          windowWidth: root.clientWidth,
          windowHeight: window.innerHeight,
          scrollX: window.scrollX,
          scrollY: window.scrollY,
        };
      },
      { secretFields: SECRET_FIELDS, maskStyle: MASK_STYLE },
    )
    // A page navigating away cannot take the style: Playwright's capture waits for it and masks the secrets.
    .catch(() => undefined);
  if (prepared === undefined)
    return page.screenshot({ fullPage: true, caret: 'hide', mask: [page.locator(SECRET_FIELDS)] });
  try {
    // Chromium paints a page that is not the front one only when asked: its first shot waited about
    // a second for a frame. The robot's steps bring their page to the front too, so this one stays there.
    await session.send('Page.bringToFront');
    const fits = prepared.width <= prepared.windowWidth && prepared.height <= prepared.windowHeight;
    const { data } = await session.send('Page.captureScreenshot', {
      format: 'png',
      optimizeForSpeed: true,
      captureBeyondViewport: !fits,
      clip: {
        x: fits ? prepared.scrollX : 0,
        y: fits ? prepared.scrollY : 0,
        width: fits ? prepared.windowWidth : prepared.width,
        height: fits ? prepared.windowHeight : prepared.height,
        scale: 1,
      },
    });
    return Buffer.from(data, 'base64');
  } finally {
    if (prepared.styled)
      await page
        .evaluate(() => {
          document.querySelector('style[data-evidence-capture]')?.remove();
          const focused = document.querySelector<HTMLElement>('[data-evidence-caret]');
          if (focused) {
            focused.style.caretColor = focused.getAttribute('data-evidence-caret') ?? '';
            focused.removeAttribute('data-evidence-caret');
            if (focused.getAttribute('style') === '') focused.removeAttribute('style');
          }
        })
        .catch(() => undefined);
  }
}
