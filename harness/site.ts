import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import {
  nginxPhpFpmRunning,
  nginxPid,
  startNginxPhpFpm,
  stopNginxPhpFpm,
  type NginxPhpFpmSite,
} from './nginx-php-fpm.js';
import { HARNESS_SOURCE_DIR, type SitePaths } from './paths.js';
import { processStartTicks, readPidFile } from './process-tree.js';
import { run } from './run-command.js';
import { PUBLIC_FOLDER, hasPublicRoot, webRootOf } from './tree-layout.js';

/** PHP settings Moodle insists on (its environment check refuses max_input_vars < 5000). */
export const PHP_SETTINGS = [
  'max_input_vars=5000',
  'memory_limit=1024M',
  'post_max_size=512M',
  'upload_max_filesize=512M',
];
const PHP_FLAGS = PHP_SETTINGS.flatMap((setting) => ['-d', setting]);
const HARNESS_PHP_DIR = path.join(HARNESS_SOURCE_DIR, 'php');

export interface DatabaseLogin {
  user: string;
  password: string;
  port: number;
}

function phpString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function writeConfigPhp(site: SitePaths, db: DatabaseLogin): void {
  const lines = [
    '<?php',
    "// Written by ecampus-restore's harness for a local test site; rewritten at every `up`.",
    'unset($CFG);',
    'global $CFG;',
    '$CFG = new stdClass();',
    "$CFG->dbtype = 'pgsql';",
    "$CFG->dblibrary = 'native';",
    "$CFG->dbhost = '127.0.0.1';",
    `$CFG->dbname = ${phpString(site.database)};`,
    `$CFG->dbuser = ${phpString(db.user)};`,
    `$CFG->dbpass = ${phpString(db.password)};`,
    "$CFG->prefix = 'mdl_';",
    `$CFG->dboptions = ['dbport' => ${db.port}];`,
    `$CFG->wwwroot = ${phpString(site.wwwroot)};`,
    `$CFG->dataroot = ${phpString(site.dataDir)};`,
    "$CFG->admin = 'admin';",
    '$CFG->directorypermissions = 02770;',
    // Both sites share 127.0.0.1; cookies ignore ports, so each site needs its own cookie name.
    `$CFG->sessioncookie = ${phpString(site.role)};`,
    // No mail server on a test machine.
    '$CFG->noemailever = true;',
    // Vert fetches backups from bleu on loopback: Moodle blocks internal hosts and ports other than
    // 80/443 by default. A test site on 127.0.0.1 must allow them; a real platform keeps its defaults.
    "$CFG->curlsecurityblockedhosts = '';",
    "$CFG->curlsecurityallowedport = '';",
    '$CFG->debugdisplay = 0;',
    "require_once(__DIR__ . '/lib/setup.php');",
    '',
  ];
  writeFileSync(path.join(site.codeDir, 'config.php'), lines.join('\n'), { mode: 0o640 });
  writePublicConfigLoader(site.codeDir);
}

/**
 * With a `public/` web root, Moodle's pages require `public/config.php`, which only loads the root's
 * config.php. A tree that lacks it (an incomplete upload) gets the harness's own loader. An existing
 * one is left alone: the site's code is hard-linked to the tree, and writing it would change the tree.
 */
function writePublicConfigLoader(codeDir: string): void {
  if (!hasPublicRoot(codeDir)) return;
  const loader = path.join(codeDir, PUBLIC_FOLDER, 'config.php');
  if (existsSync(loader)) return;
  writeFileSync(
    loader,
    [
      '<?php',
      "// Written by ecampus-restore's harness: this tree lacks Moodle's loader of the root config.php.",
      "require_once(__DIR__ . '/../config.php');",
      '',
    ].join('\n'),
    { mode: 0o640 },
  );
}

export function php(
  site: SitePaths,
  script: string,
  args: readonly string[],
  secrets: readonly string[] = [],
): Promise<string> {
  return run('php', [...PHP_FLAGS, path.join(site.codeDir, script), ...args], { cwd: site.codeDir, secrets });
}

export async function installDatabase(site: SitePaths, adminPassword: string): Promise<void> {
  rmSync(site.dataDir, { recursive: true, force: true });
  mkdirSync(site.dataDir, { recursive: true, mode: 0o770 });
  await php(
    site,
    'admin/cli/install_database.php',
    [
      '--agree-license',
      '--lang=en',
      `--adminpass=${adminPassword}`,
      '--adminemail=admin@example.invalid',
      `--fullname=ecampus ${site.role} (harness ${site.version})`,
      `--shortname=${site.role}`,
    ],
    [adminPassword],
  );
}

/** Runs our seeding script with a spec file (passwords stay out of process arguments). */
export async function prepareSite(
  site: SitePaths,
  spec: object,
): Promise<{ categoryid: number; courses: Record<string, number> }> {
  const specFile = path.join(path.dirname(site.pidFile), `${site.role}-spec.json`);
  mkdirSync(path.dirname(specFile), { recursive: true });
  writeFileSync(specFile, JSON.stringify({ ...spec, codedir: site.codeDir }), { mode: 0o600 });
  try {
    const output = await run(
      'php',
      [...PHP_FLAGS, path.join(HARNESS_PHP_DIR, 'prepare-site.php'), specFile],
      {
        cwd: site.codeDir,
      },
    );
    const last = output.trim().split('\n').pop() ?? '';
    return JSON.parse(last) as { categoryid: number; courses: Record<string, number> };
  } finally {
    rmSync(specFile, { force: true });
  }
}

/**
 * Whether the process a pid file names still runs. A pid file outlives its process (a site left up by
 * another session, a machine restarted) and its number may since be another process's, which stopping
 * the site would signal: the start time written beside the pid tells them apart.
 */
export function alive(pidFile: string): boolean {
  const named = readPidFile(pidFile);
  return named !== undefined && stillRuns(named);
}

function stillRuns(named: { pid: number; startTicks?: number }): boolean {
  const startTicks = processStartTicks(named.pid);
  if (startTicks === undefined) return false;
  return named.startTicks === undefined || named.startTicks === startTicks;
}

/** Starts a long-running command in its own process group, detached from this process. */
function startDetached(
  command: string,
  pidFile: string,
  logFile: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): void {
  mkdirSync(path.dirname(pidFile), { recursive: true });
  const log = openSync(logFile, 'a');
  const child = spawn('bash', ['-c', command], { cwd, env, detached: true, stdio: ['ignore', log, log] });
  writeFileSync(
    pidFile,
    [child.pid, processStartTicks(child.pid ?? 0)].filter((n) => n !== undefined).join(' '),
  );
  child.unref();
}

function stopDetached(pidFile: string): boolean {
  const named = readPidFile(pidFile);
  if (named === undefined || !stillRuns(named)) {
    rmSync(pidFile, { force: true });
    return false;
  }
  const { pid } = named;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    process.kill(pid, 'SIGTERM');
  }
  rmSync(pidFile, { force: true });
  return true;
}

export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
      if (response.status < 500) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${lastProblem})`);
}

export const WEB_WORKERS = 8;
/** php-fpm children per site in nginx mode: 4 parallel browsers, each with a few parallel requests. */
export const FPM_CHILDREN = 10;

export const WEB_SERVER_MODES = ['php-builtin', 'nginx'] as const;
export type WebServerMode = (typeof WEB_SERVER_MODES)[number];
export const DEFAULT_WEB_SERVER: WebServerMode = 'php-builtin';

/** The one place HARNESS_WEB_SERVER is read: php-builtin (php -S with workers) or nginx (+ php-fpm). */
export function webServerMode(): WebServerMode {
  const value = process.env['HARNESS_WEB_SERVER'];
  if (value === undefined || value === '') return DEFAULT_WEB_SERVER;
  if (!(WEB_SERVER_MODES as readonly string[]).includes(value))
    throw new Error(`HARNESS_WEB_SERVER must be one of ${WEB_SERVER_MODES.join(', ')} (got "${value}")`);
  return value as WebServerMode;
}

function nginxSite(site: SitePaths): NginxPhpFpmSite {
  return {
    name: site.role,
    port: site.port,
    codeDir: webRootOf(site.codeDir),
    dataDir: site.dataDir,
    runDir: path.dirname(site.pidFile),
    pidFile: site.pidFile,
    phpSettings: PHP_SETTINGS,
    children: FPM_CHILDREN,
  };
}

/** Which server answers for the site now, whatever the setting says (the pid file is shared). */
export function runningWebServer(site: SitePaths): WebServerMode | undefined {
  if (!alive(site.pidFile)) return undefined;
  return nginxPid(site.pidFile) === undefined ? 'php-builtin' : 'nginx';
}

async function waitForPortFree(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const taken = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => {
        resolve(false);
      });
    });
    if (!taken) return;
    if (Date.now() > deadline) throw new Error(`port ${port} is still taken after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts the site's web server in the mode HARNESS_WEB_SERVER chooses; false when one already answers. */
export async function startWebServer(site: SitePaths): Promise<boolean> {
  if (isRunning(site).web) return false;
  stopWebServer(site);
  await waitForPortFree(site.port, 15_000);
  if (webServerMode() === 'nginx') {
    await startNginxPhpFpm(nginxSite(site));
  } else {
    const flags = PHP_FLAGS.join(' ');
    startDetached(
      `exec php ${flags} -S 127.0.0.1:${site.port} -t .`,
      site.pidFile,
      site.logFile,
      webRootOf(site.codeDir),
      {
        ...process.env,
        PHP_CLI_SERVER_WORKERS: String(WEB_WORKERS),
      },
    );
  }
  await waitForHttp(`${site.wwwroot}/login/index.php`, 60_000);
  return true;
}

/** Moodle's adhoc tasks (asynchronous restores, automated backups) run as soon as they are queued. */
export function startCron(site: SitePaths): boolean {
  if (alive(site.cronPidFile)) return false;
  const flags = PHP_FLAGS.join(' ');
  startDetached(
    `while :; do php ${flags} admin/cli/adhoc_task.php --execute --keep-alive=3600 || sleep 1; done`,
    site.cronPidFile,
    site.cronLogFile,
    site.codeDir,
    process.env,
  );
  return true;
}

/** Stops whichever server runs (php -S, or nginx and its php-fpm), whatever the setting says. */
export function stopWebServer(site: SitePaths): boolean {
  // The pid file's process group first (php -S and its workers, or nginx's master and workers:
  // nginx deletes its pid file as it exits), then the fpm master nginx was talking to.
  const web = stopDetached(site.pidFile);
  const fpm = stopNginxPhpFpm(nginxSite(site));
  return web || fpm;
}

export function stopCron(site: SitePaths): boolean {
  return stopDetached(site.cronPidFile);
}

export function isRunning(site: SitePaths): { web: boolean; cron: boolean } {
  const server = runningWebServer(site);
  const web = server === 'nginx' ? nginxPhpFpmRunning(nginxSite(site)).fpm : server !== undefined;
  return { web, cron: alive(site.cronPidFile) };
}

/** Bleu's night: Moodle's automated backups queued, then run to the end. */
export async function runNightlyBackups(site: SitePaths): Promise<void> {
  await harnessPhp(site, 'nightly.php');
  await php(site, 'admin/cli/adhoc_task.php', ['--execute', '--classname=\\core\\task\\course_backup_task']);
}

/** Deletes a course as Moodle's "Delete" does (a fault the tests inject on bleu). */
export async function deleteCourse(site: SitePaths, shortname: string): Promise<void> {
  await harnessPhp(site, 'delete-course.php', [shortname]);
}

/**
 * Makes a course's newest automated backup one that holds its users (as they are, or anonymised), or
 * removes such backups: what a previous platform whose automated backups keep users serves.
 */
export async function setBackupWithUsers(
  site: SitePaths,
  shortname: string,
  kind: 'users' | 'anonymised' | 'remove',
): Promise<void> {
  await harnessPhp(site, 'backup-with-users.php', [shortname, kind]);
}

/** A role given to (or taken from) an account in one course, through Moodle's access API. */
export async function setCourseRole(
  site: SitePaths,
  change: { shortname: string; username: string; role: string; assigned: boolean },
): Promise<void> {
  await harnessPhp(site, 'course-access.php', [
    change.assigned ? 'assign' : 'unassign',
    change.shortname,
    change.username,
    change.role,
  ]);
}

/** A capability prohibited to a role in one course (an override), or the override removed. */
export async function setCourseProhibition(
  site: SitePaths,
  change: { shortname: string; role: string; capability: string; prohibited: boolean },
): Promise<void> {
  await harnessPhp(site, 'course-access.php', [
    change.prohibited ? 'prohibit' : 'inherit',
    change.shortname,
    change.role,
    change.capability,
  ]);
}

/** Ends every session of an account on the site (a session that expires; an administrator's logout). */
export async function endSessions(site: SitePaths, username: string): Promise<void> {
  await harnessPhp(site, 'end-sessions.php', [username]);
}

/** One of the harness's own PHP scripts (harness/php/), run against the site's Moodle code. */
function harnessPhp(site: SitePaths, script: string, args: readonly string[] = []): Promise<string> {
  return run('php', [...PHP_FLAGS, path.join(HARNESS_PHP_DIR, script), site.codeDir, ...args], {
    cwd: site.codeDir,
  });
}

export async function setConfig(
  site: SitePaths,
  name: string,
  value: string,
  component?: string,
): Promise<void> {
  await php(site, 'admin/cli/cfg.php', [
    ...(component ? [`--component=${component}`] : []),
    `--name=${name}`,
    `--set=${value}`,
  ]);
}
