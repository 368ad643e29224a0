import type { Page } from 'playwright';

/**
 * A fingerprint of what a full-page screenshot of the page would show: its address, size, markup,
 * every form field's state and the focused element. Computed in the page: only the fingerprint leaves
 * it, never a field's value (a typed password changes the fingerprint without being read out).
 * Undefined when the page cannot be read (closed, navigating).
 */
export async function pageFingerprint(page: Page): Promise<string | undefined> {
  return page
    .evaluate(() => {
      const root = document.documentElement;
      const parts = [
        location.href,
        `${innerWidth}x${innerHeight}`,
        `${root.scrollWidth}x${root.scrollHeight}`,
      ];
      // Playwright's screenshot leaves empty style attributes behind (caret hidden, animations off).
      parts.push(root.outerHTML.replace(/ style=""/g, ''));
      for (const field of Array.from(document.querySelectorAll('input, select, textarea'))) {
        const input = field as HTMLInputElement;
        parts.push(input.type === 'checkbox' || input.type === 'radio' ? String(input.checked) : input.value);
      }
      const active = document.activeElement;
      parts.push(active ? `${active.tagName}#${active.id}[${active.getAttribute('name') ?? ''}]` : '');
      const text = parts.join('\u0000');
      // Two independent 32-bit FNV-style hashes: 64 bits, enough to tell two states of one page apart.
      let first = 0x811c9dc5;
      let second = 0x5bd1e995;
      for (let index = 0; index < text.length; index++) {
        const code = text.charCodeAt(index);
        first = Math.imul(first ^ code, 0x01000193);
        second = Math.imul(second ^ code, 0x5bd1e995) ^ (second >>> 13);
      }
      return `${(first >>> 0).toString(16)}-${(second >>> 0).toString(16)}-${text.length}`;
    })
    .catch(() => undefined);
}
