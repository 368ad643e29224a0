import type { LaunchOptions } from 'playwright';

/**
 * Playwright's own feature switches (playwright-core's chromiumSwitches.ts), repeated here because
 * Chromium keeps only the last `--disable-features` and the last `--enable-features` of its command
 * line: a list of the robot's own, appended after Playwright's, would silently drop them (PaintHolding
 * and CDPScreenshotNewSurface among them, which the screenshots rely on). tests/browser/chromium-flags
 * fails when a Playwright upgrade changes its lists.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
] as const;
const PLAYWRIGHT_ENABLED_FEATURES = [
  'CDPScreenshotNewSurface',
  'SkipListAccountsWithoutGaiaCookies',
] as const;

/**
 * What the robot turns off or on besides (bench/chromium-memory.ts, four courses' pages open at once):
 * - the address bar's suggestion popups, drawn by a WebUI page of their own since Chromium 15x: one
 *   renderer of 140–170 MiB for a window nobody sees;
 * - the network service runs in the browser's process rather than a utility process of its own (about
 *   40 MiB).
 */
const ROBOT_DISABLED_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'] as const;
const ROBOT_ENABLED_FEATURES = ['NetworkServiceInProcess2'] as const;

/** The feature switches, Playwright's and the robot's, in one of each. */
function featureFlags(): string[] {
  return [
    `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...ROBOT_DISABLED_FEATURES].join(',')}`,
    `--enable-features=${[...PLAYWRIGHT_ENABLED_FEATURES, ...ROBOT_ENABLED_FEATURES].join(',')}`,
  ];
}

/**
 * Playwright cannot download its own browsers here: it drives Debian's Chromium. The flags keep
 * Chromium from reaching for Google's services, which this machine's closed network refuses.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  ...featureFlags(),
];

/**
 * The window the robot's pages are laid out in. Taller than Playwright's 1280 × 720: most of Moodle's
 * pages of an ordinary course (the participants, the course, the restore page, Confirm, Destination)
 * fit in it, and a page that fits is photographed whole without Chromium laying it out again at its
 * full height, which doubled the cost of a shot (evidence/capture.ts, bench/screenshot-cost.ts).
 */
export const ROBOT_VIEWPORT = { width: 1280, height: 1440 } as const;

/**
 * Every robot's browser context: its window, and the reduced motion a person may ask their system for.
 * Moodle's styles (Bootstrap's) then stop the striped progress bars and transitions: a page left
 * waiting (a restore in progress) no longer paints frames for nobody: a Moodle page holding a striped
 * progress bar and a spinner cost Chromium 2.4 CPU-s in 10 s idle, 1.3 with reduced motion (BENCHMARKS.md).
 */
export const ROBOT_CONTEXT = { viewport: ROBOT_VIEWPORT, reducedMotion: 'reduce' } as const;

export function chromiumLaunchOptions(executablePath: string, headless: boolean): LaunchOptions {
  return { executablePath, headless, args: [...CHROMIUM_FLAGS] };
}
