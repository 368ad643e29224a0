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

export function chromiumLaunchOptions(executablePath: string, headless: boolean): LaunchOptions {
  return { executablePath, headless, args: [...CHROMIUM_FLAGS] };
}
