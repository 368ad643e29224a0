import type { LaunchOptions } from 'playwright';

/**
 * Playwright cannot download its own browsers here: it drives Debian's Chromium. The flags keep
 * Chromium from reaching for Google's services, which this machine's closed network refuses.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/**
 * The window the robot's pages are laid out in. Taller than Playwright's 1280 × 720: most of Moodle's
 * pages of an ordinary course (the participants, the course, the restore page, Confirm, Destination)
 * fit in it, and a page that fits is photographed whole without Chromium laying it out again at its
 * full height, which doubled the cost of a shot (evidence/capture.ts, bench/screenshot-cost.ts).
 */
export const ROBOT_VIEWPORT = { width: 1280, height: 1440 } as const;

export function chromiumLaunchOptions(executablePath: string, headless: boolean): LaunchOptions {
  return { executablePath, headless, args: [...CHROMIUM_FLAGS] };
}
