import type { Page } from 'playwright';
import { SECRET_FIELDS } from './steady-page.js';

/*
 * Whether a page still shows exactly what its last screenshot shows, so the screenshot can stand for
 * this moment too: the same document, and since the shot no change to its markup or text, no input,
 * no scroll, no pointer over a new element, no image or stylesheet loaded, no transition or
 * animation started. A tall page costs a second or more to photograph again (the Review page of a
 * 300-activity course is 28 000 px high), and several steps only read a page the previous step
 * photographed.
 *
 * After a shot, `watch` records the page's first change; `unchangedSince` asks whether there was none.
 * A page with a secret field is never watched: its shots are taken with the field blurred and masked.
 */
/** Events that change what a page shows without changing its markup. */
const CHANGE_EVENTS = [
  'input',
  'change',
  'scroll',
  'load',
  'error',
  'focusin',
  'focusout',
  'mouseover',
  'mouseout',
  'transitionstart',
  'animationstart',
  'resize',
];

interface Watch {
  token: string;
  changed: boolean;
  scroll: [number, number];
}

type WatchedWindow = Window & { __evidenceWatch?: Watch };

/** Starts recording the page's first change after the shot named `token`. False when not watched. */
export async function watch(page: Page, token: string): Promise<boolean> {
  return page
    .evaluate(
      ({ token, events, secretFields }) => {
        const watched = window as WatchedWindow;
        if (document.querySelector(secretFields) !== null) {
          delete watched.__evidenceWatch;
          return false;
        }
        const state: Watch = { token, changed: false, scroll: [window.scrollX, window.scrollY] };
        watched.__evidenceWatch = state;
        // A listener object, not a named closure: tsx's transform would wrap one in a __name() the
        // page lacks.
        const firstChange = {
          handleEvent() {
            state.changed = true;
            observer.disconnect();
            for (const event of events) window.removeEventListener(event, firstChange, true);
          },
        };
        const observer = new MutationObserver(() => {
          firstChange.handleEvent();
        });
        observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
        for (const event of events)
          window.addEventListener(event, firstChange, { capture: true, passive: true });
        return true;
      },
      { token, events: CHANGE_EVENTS, secretFields: SECRET_FIELDS },
    )
    .catch(() => false);
}

/** True when the page is the document of the shot named `token` and nothing changed since. */
export async function unchangedSince(page: Page, token: string): Promise<boolean> {
  return page
    .evaluate((token) => {
      // Changes made just before this call are delivered to the observer as a microtask: let them in.
      return Promise.resolve().then(() => {
        const state = (window as WatchedWindow).__evidenceWatch;
        return (
          state !== undefined &&
          state.token === token &&
          !state.changed &&
          state.scroll[0] === window.scrollX &&
          state.scroll[1] === window.scrollY
        );
      });
    }, token)
    .catch(() => false);
}
