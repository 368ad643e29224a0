import type { CDPSession, Page } from 'playwright';
import { prepareForShot, SECRET_FIELDS, undoShotPreparation } from './shot-preparation.js';

const sessions = new WeakMap<Page, Promise<CDPSession>>();

function sessionOf(page: Page): Promise<CDPSession> {
  let session = sessions.get(page);
  if (session === undefined) {
    session = page.context().newCDPSession(page);
    sessions.set(page, session);
  }
  return session;
}

export type Capture =
  | { unchanged: true }
  | {
      unchanged: false;
      image: Buffer;
      /** The page's changes are recorded under the new shot's token (evidence/shot-preparation.ts). */
      watched: boolean;
    };

/**
 * A PNG of the whole page, secret fields painted over and the caret hidden; or nothing when the page
 * has not changed since the shot named `since`.
 *
 * Chromium's own capture (DevTools `Page.captureScreenshot`) with its fast PNG encoding, which
 * Playwright's `page.screenshot` does not offer: about half the time of
 * `page.screenshot({ fullPage: true })`, for a slightly larger file. The page is laid out again at its
 * full height only when it does not fit in the window. Everything the page is asked before the shot
 * is asked in one call: each call waits for the page's scripts, and a shot used to make four.
 */
export async function captureWholePage(
  page: Page,
  tokens: { since?: string | undefined; watchAs: string },
): Promise<Capture> {
  const session = await sessionOf(page);
  const prepared = await prepareForShot(page, tokens);
  if (prepared === undefined) {
    // A page navigating away cannot be readied: Playwright's capture waits for it and masks the secrets.
    const image = await page.screenshot({
      fullPage: true,
      caret: 'hide',
      mask: [page.locator(SECRET_FIELDS)],
    });
    return { unchanged: false, image, watched: false };
  }
  if (prepared.unchanged) return prepared;
  try {
    // Chromium paints a page that is not the front one only when asked: its first shot waited about
    // a second for a frame. The robot's steps bring their page to the front too, so this one stays there.
    await session.send('Page.bringToFront');
    const { geometry } = prepared;
    const fits = geometry.width <= geometry.windowWidth && geometry.height <= geometry.windowHeight;
    const { data } = await session.send('Page.captureScreenshot', {
      format: 'png',
      optimizeForSpeed: true,
      captureBeyondViewport: !fits,
      clip: {
        x: fits ? geometry.scrollX : 0,
        y: fits ? geometry.scrollY : 0,
        width: fits ? geometry.windowWidth : geometry.width,
        height: fits ? geometry.windowHeight : geometry.height,
        scale: 1,
      },
    });
    return { unchanged: false, image: Buffer.from(data, 'base64'), watched: prepared.watched };
  } finally {
    if (prepared.restyled) await undoShotPreparation(page);
  }
}
