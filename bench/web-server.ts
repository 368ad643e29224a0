/**
 * Issue 9: which web server should the harness use under 4 parallel browsers, php -S with workers or
 * nginx + php-fpm? For each mode, vert's web server alone is restarted in that mode, then 4 browser
 * contexts log in as the teacher and open every vert course page and its restore file page, 3 rounds.
 * Bleu is never touched; vert is given back the server it had at the start.
 *
 *   npx tsx bench/web-server.ts [--rounds 3] [--passes 1] [--contexts 4]
 *
 * --passes 2 measures php-builtin, nginx, nginx, php-builtin (drift of the machine's load cancels out;
 * the middle two blocks share one start of nginx, so each mode has one cold block and one warm one).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright';
import { format, resolveConfig } from 'prettier';
import { chromiumLaunchOptions } from '../session/browser.js';
import { status } from '../harness/harness.js';
import { startNginxPhpFpm, stopNginxPhpFpm } from '../harness/nginx-php-fpm.js';
import { MOODLE_VERSIONS, sitePaths, type MoodleVersion, type SitePaths } from '../harness/paths.js';
import {
  FPM_CHILDREN,
  PHP_SETTINGS,
  WEB_SERVER_MODES,
  WEB_WORKERS,
  runningWebServer,
  startWebServer,
  stopWebServer,
  waitForHttp,
  type WebServerMode,
} from '../harness/site.js';

const CHROMIUM = '/usr/bin/chromium';
const PAGE_TIMEOUT_MS = 120_000;
const PROBE_PORT = 18_090;

type PageKind = 'login-form' | 'login-submit' | 'course' | 'restorefile';

interface PageTime {
  mode: WebServerMode;
  pass: number;
  round: number;
  context: number;
  kind: PageKind;
  url: string;
  ms: number;
}

interface BenchError {
  mode: WebServerMode;
  round: number;
  context: number;
  what: string;
}

interface Stats {
  count: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  meanMs: number;
}

interface RoundResult {
  mode: WebServerMode;
  pass: number;
  round: number;
  wallMs: number;
  loadAverageBefore: number;
}

interface OpcacheProbe {
  mode: WebServerMode;
  sapi: string;
  opcacheEnabled: boolean;
  cachedScripts: number;
  hits: number;
  pids: number[];
  maxInputVars: string;
  pathInfo: string | null;
}

function log(message: string): void {
  console.log(`bench: ${message}`);
}

function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const count = sorted.length;
  if (count === 0) return { count, medianMs: 0, minMs: 0, maxMs: 0, meanMs: 0 };
  const middle = Math.floor(count / 2);
  const median =
    count % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count,
    medianMs: Math.round(median),
    minMs: Math.round(sorted[0] ?? 0),
    maxMs: Math.round(sorted[count - 1] ?? 0),
    meanMs: Math.round(sum / count),
  };
}

function chosenVersion(): MoodleVersion {
  const value = process.env['MOODLE_VERSION'] ?? '4.5';
  if (!(MOODLE_VERSIONS as readonly string[]).includes(value))
    throw new Error(`MOODLE_VERSION must be one of ${MOODLE_VERSIONS.join(', ')}`);
  return value as MoodleVersion;
}

/** Only vert's web server: stopped, then started in the given mode; returns the time it was down. */
async function restartVert(site: SitePaths, mode: WebServerMode): Promise<number> {
  const started = Date.now();
  stopWebServer(site);
  process.env['HARNESS_WEB_SERVER'] = mode;
  await startWebServer(site);
  const running = runningWebServer(site);
  if (running !== mode) throw new Error(`vert should run ${mode}, runs ${running ?? 'nothing'}`);
  return Date.now() - started;
}

/** Is OPcache really caching? A probe script in a temp folder, served exactly as the harness serves Moodle. */
async function probeOpcache(mode: WebServerMode): Promise<OpcacheProbe> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'ecr-opcache-probe-'));
  const docRoot = path.join(folder, 'www');
  mkdirSync(docRoot);
  const script = path.join(docRoot, 'probe.php');
  writeFileSync(
    script,
    [
      '<?php',
      "header('Content-Type: application/json');",
      '$s = function_exists("opcache_get_status") ? opcache_get_status(false) : false;',
      'echo json_encode(["sapi" => PHP_SAPI, "pid" => getmypid(),',
      '  "enabled" => is_array($s) && $s["opcache_enabled"],',
      '  "cached" => is_array($s) ? $s["opcache_statistics"]["num_cached_scripts"] : 0,',
      '  "hits" => is_array($s) ? $s["opcache_statistics"]["hits"] : 0,',
      '  "max_input_vars" => ini_get("max_input_vars"), "path_info" => $_SERVER["PATH_INFO"] ?? null]);',
      '',
    ].join('\n'),
  );
  // OPcache leaves alone a file changed in the last 2 s (opcache.file_update_protection).
  const past = new Date(Date.now() - 60_000);
  utimesSync(script, past, past);
  const url = `http://127.0.0.1:${PROBE_PORT}/probe.php/slash/argument`;
  const nginxProbe = {
    name: 'probe',
    port: PROBE_PORT,
    codeDir: docRoot,
    dataDir: path.join(folder, 'data'),
    runDir: folder,
    pidFile: path.join(folder, 'probe-web.pid'),
    phpSettings: PHP_SETTINGS,
    children: 2,
  };
  let phpServer: number | undefined;
  try {
    if (mode === 'nginx') {
      await startNginxPhpFpm(nginxProbe);
    } else {
      const child = spawn(
        'php',
        [
          ...PHP_SETTINGS.flatMap((setting) => ['-d', setting]),
          '-S',
          `127.0.0.1:${PROBE_PORT}`,
          '-t',
          docRoot,
        ],
        {
          detached: true,
          stdio: 'ignore',
          env: { ...process.env, PHP_CLI_SERVER_WORKERS: String(WEB_WORKERS) },
        },
      );
      child.unref();
      phpServer = child.pid;
    }
    await waitForHttp(url, 15_000);
    const answers: { sapi: string; pid: number; enabled: boolean; cached: number; hits: number }[] = [];
    let last: Record<string, unknown> = {};
    for (let i = 0; i < 6; i++) {
      last = (await (await fetch(url)).json()) as Record<string, unknown>;
      answers.push(last as unknown as (typeof answers)[number]);
    }
    const final = answers[answers.length - 1];
    return {
      mode,
      sapi: String(last['sapi']),
      opcacheEnabled: answers.every((answer) => answer.enabled),
      cachedScripts: final?.cached ?? 0,
      hits: final?.hits ?? 0,
      pids: [...new Set(answers.map((answer) => answer.pid))],
      maxInputVars: String(last['max_input_vars']),
      pathInfo: typeof last['path_info'] === 'string' ? last['path_info'] : null,
    };
  } finally {
    if (mode === 'nginx') stopNginxPhpFpm(nginxProbe);
    if (phpServer !== undefined) process.kill(-phpServer, 'SIGTERM');
    rmSync(folder, { recursive: true, force: true });
  }
}

async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const moodle = (window as unknown as { M?: { util?: { pending_js?: unknown[] } } }).M;
      return moodle?.util?.pending_js?.length === 0;
    },
    undefined,
    { timeout: PAGE_TIMEOUT_MS },
  );
}

interface Target {
  wwwroot: string;
  username: string;
  password: string;
  courseIds: number[];
}

/** One browser context: log in, then each course page and its restore file page. */
async function oneVisitor(
  browser: Browser,
  target: Target,
  where: { mode: WebServerMode; pass: number; round: number; context: number },
  times: PageTime[],
  errors: BenchError[],
  failedHosts: Map<string, number>,
): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const fail = (what: string) =>
    errors.push({ mode: where.mode, round: where.round, context: where.context, what });
  page.on('pageerror', (error) => {
    fail(`page error on ${page.url()}: ${error.message}`);
  });
  page.on('requestfailed', (request) => {
    const host = new URL(request.url()).host;
    failedHosts.set(host, (failedHosts.get(host) ?? 0) + 1);
    // A request still in flight when the next navigation starts is aborted by the browser, not failed.
    if (host === new URL(target.wwwroot).host && request.failure()?.errorText !== 'net::ERR_ABORTED')
      fail(`request failed: ${request.url()} (${request.failure()?.errorText ?? '?'})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) fail(`HTTP ${response.status()} for ${response.url()}`);
  });
  const timed = async (kind: PageKind, url: string, navigate: () => Promise<unknown>) => {
    const started = performance.now();
    try {
      await navigate();
      await settled(page);
      times.push({ ...where, kind, url, ms: performance.now() - started });
    } catch (error) {
      fail(`${kind} ${url}: ${(error as Error).message.split('\n')[0] ?? ''}`);
    }
  };
  try {
    const loginUrl = `${target.wwwroot}/login/index.php`;
    await timed('login-form', loginUrl, () => page.goto(loginUrl));
    await page.fill('#username', target.username);
    await page.fill('#password', target.password);
    await timed('login-submit', loginUrl, () =>
      Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login/')), page.click('#loginbtn')]),
    );
    for (const courseId of target.courseIds) {
      const courseUrl = `${target.wwwroot}/course/view.php?id=${courseId}`;
      await timed('course', courseUrl, () => page.goto(courseUrl));
      const bodyClass = await page.evaluate(() => document.body.className);
      const contextId = /\bcontext-(\d+)\b/.exec(bodyClass)?.[1];
      if (!bodyClass.includes('path-course-view') || contextId === undefined) {
        fail(`course ${courseId}: not the course page (${page.url()})`);
        continue;
      }
      const restoreUrl = `${target.wwwroot}/backup/restorefile.php?contextid=${contextId}`;
      await timed('restorefile', restoreUrl, () => page.goto(restoreUrl));
      const restoreBody = await page.evaluate(() => document.body.id);
      if (restoreBody !== 'page-backup-restorefile')
        fail(`restore file page of course ${courseId}: ${restoreBody}`);
    }
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      passes: { type: 'string', default: '1' },
      contexts: { type: 'string', default: '4' },
    },
  });
  const rounds = Number(values.rounds);
  const passes = Number(values.passes);
  const contexts = Number(values.contexts);
  const version = chosenVersion();
  const vert = sitePaths(version, 'vert');
  const current = status(version);
  const teacher = current.accounts.find((account) => account.username === current.teacher);
  if (!teacher) throw new Error('no teacher account in the harness status');
  const target: Target = {
    wwwroot: vert.wwwroot,
    username: teacher.username,
    password: teacher.password,
    courseIds: Object.values(current.sites.vert.courses),
  };
  if (target.courseIds.length === 0) throw new Error('vert has no seeded courses: run the harness first');
  const original = runningWebServer(vert);
  if (original === undefined)
    throw new Error(`vert (${vert.wwwroot}) is not running: this bench does not start it`);
  log(`vert runs ${original}; ${target.courseIds.length} courses; ${contexts} contexts x ${rounds} rounds`);

  const probes: OpcacheProbe[] = [];
  for (const mode of WEB_SERVER_MODES) {
    const probe = await probeOpcache(mode);
    probes.push(probe);
    log(
      `OPcache under ${mode} (${probe.sapi}): ${probe.opcacheEnabled ? 'enabled' : 'OFF'}, ${probe.cachedScripts} script cached, ${probe.hits} hits over 6 requests to ${probe.pids.length} process(es); max_input_vars=${probe.maxInputVars}, PATH_INFO=${probe.pathInfo ?? '(none)'}`,
    );
  }

  const order: WebServerMode[] = [];
  for (let pass = 0; pass < passes; pass++)
    order.push(...(pass % 2 === 0 ? WEB_SERVER_MODES : [...WEB_SERVER_MODES].reverse()));

  const browser = await chromium.launch(chromiumLaunchOptions(CHROMIUM, true));
  const times: PageTime[] = [];
  const errors: BenchError[] = [];
  const roundResults: RoundResult[] = [];
  const restarts: { mode: WebServerMode; downMs: number }[] = [];
  const failedHosts = new Map<string, number>();
  let aborted: string | undefined;
  try {
    for (const [index, mode] of order.entries()) {
      const pass = Math.floor(index / WEB_SERVER_MODES.length) + 1;
      if (index === 0 || runningWebServer(vert) !== mode) {
        const downMs = await restartVert(vert, mode);
        restarts.push({ mode, downMs });
        log(`vert restarted as ${mode} (${downMs} ms without a server)`);
      }
      for (let round = 1; round <= rounds; round++) {
        const loadAverageBefore = os.loadavg()[0] ?? 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: contexts }, (_, context) =>
            oneVisitor(browser, target, { mode, pass, round, context }, times, errors, failedHosts),
          ),
        );
        const wallMs = performance.now() - started;
        roundResults.push({ mode, pass, round, wallMs, loadAverageBefore });
        const these = stats(
          times
            .filter((time) => time.mode === mode && time.pass === pass && time.round === round)
            .map((t) => t.ms),
        );
        log(
          `${mode} pass ${pass} round ${round}: ${(wallMs / 1000).toFixed(1)} s wall, pages median ${these.medianMs} ms (min ${these.minMs}, max ${these.maxMs}, ${these.count} pages), load ${loadAverageBefore.toFixed(2)}`,
        );
      }
    }
  } catch (error) {
    // What was measured is still written; the summary says the run was cut short.
    aborted = (error as Error).stack ?? String(error);
    log(`run cut short: ${aborted}`);
  } finally {
    await browser.close();
    if (runningWebServer(vert) !== original) {
      const downMs = await restartVert(vert, original);
      log(`vert given back its ${original} server (${downMs} ms without a server)`);
    }
  }

  const summary = WEB_SERVER_MODES.map((mode) => {
    const mine = times.filter((time) => time.mode === mode);
    const myRounds = roundResults.filter((round) => round.mode === mode);
    const byKind = Object.fromEntries(
      (['login-form', 'login-submit', 'course', 'restorefile'] as const).map((kind) => [
        kind,
        stats(mine.filter((time) => time.kind === kind).map((time) => time.ms)),
      ]),
    );
    return {
      mode,
      pages: stats(mine.map((time) => time.ms)),
      warmPages: stats(mine.filter((time) => time.round > 1).map((time) => time.ms)),
      byKind,
      totalWallMs: Math.round(myRounds.reduce((total, round) => total + round.wallMs, 0)),
      roundWallMs: myRounds.map((round) => Math.round(round.wallMs)),
      errors: errors.filter((error) => error.mode === mode).length,
    };
  });
  console.log('');
  console.log('mode         pages  median    min      max   warm median  wall total  errors');
  for (const line of summary) {
    console.log(
      `${line.mode.padEnd(12)} ${String(line.pages.count).padStart(5)} ${String(line.pages.medianMs).padStart(6)} ms ${String(line.pages.minMs).padStart(5)} ms ${String(line.pages.maxMs).padStart(6)} ms ${String(line.warmPages.medianMs).padStart(7)} ms ${(line.totalWallMs / 1000).toFixed(1).padStart(9)} s ${String(line.errors).padStart(7)}`,
    );
  }
  for (const error of errors.slice(0, 20))
    console.log(`error: ${error.mode} round ${error.round} context ${error.context}: ${error.what}`);
  const otherHosts = [...failedHosts.entries()].filter(([host]) => host !== new URL(vert.wwwroot).host);
  if (otherHosts.length > 0)
    console.log(
      `requests to other hosts that failed: ${otherHosts.map(([h, n]) => `${h} x${n}`).join(', ')}`,
    );
  else console.log('no request left vert (no cdn.jsdelivr.net MathJax on these pages)');

  const when = new Date();
  const resultsDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `web-server-${when.toISOString().slice(0, 10)}.json`);
  const json = JSON.stringify(
    {
      when: when.toISOString(),
      machine: { cpus: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30) },
      moodle: current.release,
      site: vert.wwwroot,
      settings: { contexts, rounds, passes, order, phpWorkers: WEB_WORKERS, fpmChildren: FPM_CHILDREN },
      aborted: aborted ?? null,
      opcache: probes,
      restarts,
      summary,
      rounds: roundResults.map((round) => ({ ...round, wallMs: Math.round(round.wallMs) })),
      failedRequestHosts: Object.fromEntries(failedHosts),
      errors,
      pages: times.map((time) => ({ ...time, ms: Math.round(time.ms) })),
    },
    null,
    2,
  );
  // Formatted as the project's Prettier wants it, so `prettier --check bench` passes on the results.
  writeFileSync(file, await format(json, { ...(await resolveConfig(file)), parser: 'json' }));
  log(`results in ${path.relative(process.cwd(), file)}`);
  if (aborted !== undefined) throw new Error('the run was cut short (see above)');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
