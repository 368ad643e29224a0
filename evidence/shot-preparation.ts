import type { Page } from 'playwright';

/** Fields that hold secrets: painted over in every screenshot. */
export const SECRET_FIELDS = 'input[type="password"]';

/** Painted over secret fields, as Playwright's own `mask` does. */
const MASK_STYLE = `${SECRET_FIELDS} { color: transparent !important; background: #ff00ff !important;
  text-shadow: none !important; -webkit-text-fill-color: transparent !important; }`;

/**
 * Events that change what a page shows without changing its markup. Scrolling and resizing are judged
 * by the position and size they leave: photographing a page taller than the window resizes it and
 * puts it back. Transitions and animations, by whether one is running.
 */
const CHANGE_EVENTS = ['input', 'change', 'load', 'error', 'focusin', 'focusout', 'mouseover', 'mouseout'];

export interface PageGeometry {
  width: number;
  height: number;
  windowWidth: number;
  windowHeight: number;
  scrollX: number;
  scrollY: number;
}

export type ShotPreparation =
  | { unchanged: true }
  | {
      unchanged: false;
      /** Secret fields painted over, a focused field's caret hidden: `undoShotPreparation` puts them back. */
      restyled: boolean;
      /** The page's changes are recorded from now on, under the new shot's token. */
      watched: boolean;
      geometry: PageGeometry;
    };

interface Watch {
  token: string;
  /** Changed beyond attributes (markup, text, an event): for good. */
  changed: boolean;
  scroll: [number, number];
  size: [number, number];
  /** Each attribute changed since the watch began, with the value it had then. */
  attributes: Map<Node, Map<string, string | null>>;
  record: (records: MutationRecord[]) => void;
  handleEvent: () => void;
  stop: () => void;
  /** Whether the page shows again what it showed when the watch began. */
  isAsItWas: () => boolean;
}

type EvidenceWindow = Window & { __evidenceWatch?: Watch };

/**
 * Readies a page for its screenshot, in one call into the page.
 *
 * - **Unchanged since `since`?** When the page is the document of the shot named `since` and shows
 *   again what it showed when that shot began, that shot stands for this moment too: nothing is
 *   touched and `{ unchanged: true }` comes back. Showing the same means: no change to its markup or
 *   text, no input, focus change or pointer over another element, no image or stylesheet loaded, the
 *   same scroll position and window size, every attribute changed since back to its value, and no
 *   transition or animation running.
 * - **Secret fields.** A focused field keeps Chromium repainting around it (caret, focus ring); those
 *   partial repaints leave anti-aliased edges nearby one shade off, at random, so two shots of the
 *   same page could differ even with the field masked. On a page with a secret field, a focused
 *   secret field is blurred, the whole page is repainted once, and the fields are painted over. Pages
 *   without one are photographed as they are: the repaint costs up to 0.2 s a shot.
 * - **The caret** of a focused field is hidden.
 * - **Watching.** Unless restyled, the page's changes are recorded under `watchAs` from this moment,
 *   before the shot: a change while the shot is taken counts too (it may or may not be in the
 *   picture). A restyled page is never watched: its styles come off after the shot.
 *
 * Undefined when the page navigated away meanwhile.
 */
export async function prepareForShot(
  page: Page,
  tokens: { since?: string | undefined; watchAs: string },
): Promise<ShotPreparation | undefined> {
  return (
    page
      .evaluate(
        async ({ since, watchAs, events, secretFields, maskStyle }) => {
          const evidenceWindow = window as EvidenceWindow;
          const previous = evidenceWindow.__evidenceWatch;
          const size: [number, number] = [window.innerWidth, window.innerHeight];
          const scroll: [number, number] = [window.scrollX, window.scrollY];
          if (
            since !== undefined &&
            previous !== undefined &&
            previous.token === since &&
            previous.isAsItWas() &&
            previous.scroll[0] === scroll[0] &&
            previous.scroll[1] === scroll[1] &&
            previous.size[0] === size[0] &&
            previous.size[1] === size[1]
          )
            return { unchanged: true as const };
          previous?.stop();
          delete evidenceWindow.__evidenceWatch;

          // Methods, not named closures: tsx's transform would wrap one in a __name() the page lacks.
          const frames = {
            // A page Chromium does not paint (hidden) runs no frames: then the repaint is not waited for.
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
          let restyled = false;
          if (document.querySelector(secretFields) !== null) {
            const active = document.activeElement;
            if (active instanceof HTMLElement && active.matches(secretFields)) {
              active.blur();
              active.setAttribute('data-evidence-refocus', '');
            }
            const hadStyle = document.documentElement.hasAttribute('style');
            const root = document.documentElement.style;
            const background = root.getPropertyValue('background-color');
            const priority = root.getPropertyPriority('background-color');
            root.setProperty('background-color', 'rgb(254, 254, 254)', 'important');
            await frames.two();
            if (background === '') root.removeProperty('background-color');
            else root.setProperty('background-color', background, priority);
            if (!hadStyle) document.documentElement.removeAttribute('style');
            await frames.two();
            const style = document.createElement('style');
            style.setAttribute('data-evidence-capture', '');
            style.textContent = maskStyle;
            document.head.append(style);
            restyled = true;
          }
          const focused = document.activeElement;
          if (focused instanceof HTMLElement && focused.matches('input, textarea, [contenteditable]')) {
            focused.setAttribute('data-evidence-caret', focused.style.caretColor);
            focused.style.caretColor = 'transparent';
            restyled = true;
          }

          if (!restyled) {
            const observer = new MutationObserver((records) => {
              state.record(records);
            });
            const state: Watch = {
              token: watchAs,
              changed: false,
              scroll,
              size,
              attributes: new Map(),
              // Attributes that come back to their value are no change: photographing a page taller
              // than the window resizes it, and Moodle's menus toggle classes back and forth then.
              record(records) {
                for (const record of records) {
                  if (record.type !== 'attributes' || record.attributeName === null) {
                    this.handleEvent();
                    return;
                  }
                  const seen = this.attributes.get(record.target) ?? new Map<string, string | null>();
                  if (!seen.has(record.attributeName)) seen.set(record.attributeName, record.oldValue);
                  this.attributes.set(record.target, seen);
                }
              },
              handleEvent() {
                this.changed = true;
                this.stop();
              },
              stop() {
                observer.disconnect();
                for (const event of events) window.removeEventListener(event, this, true);
              },
              isAsItWas() {
                if (!this.changed) this.record(observer.takeRecords());
                if (this.changed) return false;
                // A transition or animation still running (the capture's resize, a class that came
                // back, a spinner) is moving the pixels the shot holds.
                if (document.getAnimations().some((animation) => animation.playState === 'running'))
                  return false;
                for (const [node, values] of this.attributes)
                  for (const [name, value] of values)
                    if (!(node instanceof Element) || node.getAttribute(name) !== value) return false;
                return true;
              },
            };
            observer.observe(document, {
              subtree: true,
              childList: true,
              attributes: true,
              attributeOldValue: true,
              characterData: true,
            });
            for (const event of events)
              window.addEventListener(event, state, { capture: true, passive: true });
            evidenceWindow.__evidenceWatch = state;
          }

          const root = document.documentElement;
          return {
            unchanged: false as const,
            restyled,
            watched: !restyled,
            geometry: {
              width: Math.max(root.scrollWidth, document.body.scrollWidth),
              height: Math.max(root.scrollHeight, document.body.scrollHeight),
              windowWidth: root.clientWidth,
              windowHeight: window.innerHeight,
              scrollX: scroll[0],
              scrollY: scroll[1],
            },
          };
        },
        {
          since: tokens.since,
          watchAs: tokens.watchAs,
          events: CHANGE_EVENTS,
          secretFields: SECRET_FIELDS,
          maskStyle: MASK_STYLE,
        },
      )
      // A page navigating away meanwhile cannot be readied: the caller photographs it as it is.
      .catch(() => undefined)
  );
}

/** Takes off what `prepareForShot` put on a restyled page, and gives a blurred secret field its focus back. */
export async function undoShotPreparation(page: Page): Promise<void> {
  await page
    .evaluate(() => {
      document.querySelector('style[data-evidence-capture]')?.remove();
      const caret = document.querySelector<HTMLElement>('[data-evidence-caret]');
      if (caret) {
        caret.style.caretColor = caret.getAttribute('data-evidence-caret') ?? '';
        caret.removeAttribute('data-evidence-caret');
        if (caret.getAttribute('style') === '') caret.removeAttribute('style');
      }
      const field = document.querySelector<HTMLElement>('[data-evidence-refocus]');
      field?.removeAttribute('data-evidence-refocus');
      field?.focus({ preventScroll: true });
    })
    .catch(() => undefined);
}
