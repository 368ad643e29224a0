import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  copyDatabase,
  createDatabase,
  databaseExists,
  dropDatabase,
  ensureRole,
  startDatabaseServer,
  lastDatabaseCrash,
  databaseCreatedAt,
  writeToDisk,
} from './database.js';
import { DEMO_COURSES, DEMO_TEACHER, DEMO_USERS } from './demo-data.js';
import { availableLangpacks, installLangpacks } from './langpacks.js';
import { configuredTreeDir, obtainTree, type MoodleTree } from './moodle-tree.js';
import { OUR_PLUGINS, buildPlainCode, installOurPlugins } from './plain-code.js';
import { sitePaths, type MoodleVersion, type SitePaths, type SiteRole } from './paths.js';
import { run } from './run-command.js';
import {
  installDatabase,
  isRunning,
  php,
  prepareSite,
  runNightlyBackups,
  setConfig,
  startCron,
  startWebServer,
  stopCron,
  stopWebServer,
  writeConfigPhp,
} from './site.js';
import { loadState, saveState, type HarnessState } from './state.js';
import { readTreeOrigin, type TreeOrigin } from './tree-completion.js';
import { cacheKey, recordSnapshotCacheKey, snapshotCacheKey, warmCaches } from './warm-snapshot.js';

export const ROLES: readonly SiteRole[] = ['bleu', 'vert'];

/**
 * What the seed makes, as a number: sites seeded by another revision are installed again at the next
 * `up` (3: bleu's automated backups hold no users).
 */
export const SEED_REVISION = 3;

function log(message: string): void {
  console.log(`harness: ${message}`);
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

export function asyncRestoreWanted(): boolean {
  const value = process.env['ASYNC_RESTORE'];
  return value === undefined || value === '' || !['0', 'false', 'no'].includes(value.toLowerCase());
}

async function installSystemPackages(): Promise<void> {
  const script = path.resolve(
    path.dirname(new URL(import.meta.url).pathname),
    '..',
    'scripts',
    'install-system-packages.sh',
  );
  await run('bash', [script, 'browser', 'moodle']);
}

function databaseLogin(state: HarnessState, port: number) {
  return { user: state.databaseUser, password: state.databasePassword, port };
}

/** A fresh site: its code (standard plugins + ours), an empty database, Moodle's installer, our seed. */
async function installSite(
  tree: MoodleTree,
  site: SitePaths,
  state: HarnessState,
  port: number,
): Promise<void> {
  const started = Date.now();
  const leftOut = await buildPlainCode(tree.dir, site.codeDir, OUR_PLUGINS[site.role]);
  log(
    `${site.role}: code ready, ${leftOut.length} non-standard plugin folder(s) left out${leftOut.length ? `: ${leftOut.join(', ')}` : ''}`,
  );
  writeConfigPhp(site, databaseLogin(state, port));
  await dropDatabase(site.database);
  await createDatabase(site.database, state.databaseUser);
  await installDatabase(site, state.adminPassword);
  installLangpacks(site.dataDir);
  log(`${site.role}: Moodle installed (${seconds(started)})`);
  const seeded = await prepareSite(site, {
    role: site.role,
    asyncrestore: asyncRestoreWanted(),
    token: state.token,
    bleuurl: sitePaths(site.version, 'bleu').wwwroot,
    yearlabel: '24/25',
    users: DEMO_USERS.map((user) => ({ ...user, password: state.demoPassword })),
    courses: DEMO_COURSES,
  });
  if (site.role === 'bleu') await runNightlyBackups(site);
  state.sites[site.role] = {
    installed: true,
    ...seeded,
    installSeconds: Math.round((Date.now() - started) / 1000),
  };
  log(`${site.role}: seeded ${Object.keys(seeded.courses).length} courses (${seconds(started)} in all)`);
}

async function takeSnapshot(site: SitePaths, owner: string): Promise<void> {
  await copyDatabase(site.database, site.snapshotDatabase, owner);
  rmSync(site.snapshotDataDir, { recursive: true, force: true });
  mkdirSync(path.dirname(site.snapshotDataDir), { recursive: true });
  await run('cp', ['-a', site.dataDir, site.snapshotDataDir]);
  await writeToDisk();
}

/** The working database existed when the cluster last stopped without a shutdown. */
async function writtenWhenTheDatabaseCrashed(site: SitePaths): Promise<boolean> {
  const crash = lastDatabaseCrash();
  if (crash === undefined) return false;
  const created = await databaseCreatedAt(site.database);
  return created !== undefined && created < crash;
}

async function restoreSnapshot(site: SitePaths, owner: string): Promise<void> {
  await copyDatabase(site.snapshotDatabase, site.database, owner);
  // The web server stays up, and a request still running (a page left open) may be writing its cache
  // into the folder: it is moved aside at once, and deleted once nothing writes into it any more. The
  // snapshot is copied beside it and renamed into place: a request arriving meanwhile wrote its cache
  // into a folder being copied, and the copy failed ("cp: cannot create regular file …: File exists").
  const parent = path.dirname(site.dataDir);
  const folder = path.basename(site.dataDir);
  const discardedPrefix = `${folder}.discarded-`;
  const restoringPrefix = `${folder}.restoring-`;
  const copy = path.join(parent, `${restoringPrefix}${Date.now()}`);
  await run('cp', ['-a', site.snapshotDataDir, copy]);
  for (let attempt = 1; ; attempt++) {
    if (existsSync(site.dataDir))
      renameSync(site.dataDir, path.join(parent, `${discardedPrefix}${Date.now()}-${attempt}`));
    try {
      renameSync(copy, site.dataDir);
      break;
    } catch (error) {
      // A request created the folder again between the two renames: set it aside too.
      if (attempt >= 5) throw error;
    }
  }
  // Also the copy of a reset cut short.
  const leftovers = [discardedPrefix, restoringPrefix];
  for (const name of readdirSync(parent).filter((entry) =>
    leftovers.some((prefix) => entry.startsWith(prefix)),
  )) {
    try {
      rmSync(path.join(parent, name), { recursive: true, force: true, maxRetries: 5 });
    } catch {
      // Still written into: the next reset deletes it.
    }
  }
}

async function siteIsInstalled(site: SitePaths, state: HarnessState): Promise<boolean> {
  return (
    state.sites[site.role]?.installed === true &&
    existsSync(path.join(site.codeDir, 'config.php')) &&
    existsSync(site.snapshotDataDir) &&
    (await databaseExists(site.snapshotDatabase))
  );
}

/** Our plugins are copied at every `up`: a changed plugin is upgraded in place. */
async function refreshOurPlugins(site: SitePaths): Promise<void> {
  installOurPlugins(site.codeDir, OUR_PLUGINS[site.role]);
  await php(site, 'admin/cli/upgrade.php', ['--non-interactive', '--allow-unstable']);
}

function recordTreeOrigin(state: HarnessState, origin: TreeOrigin | undefined): void {
  if (origin) state.treeOrigin = origin;
  else delete state.treeOrigin;
}

/** `import-tree` records at once where the tree came from and what it took from another release. */
export function recordImportedTree(version: MoodleVersion, dir: string): void {
  const state = loadState(version);
  recordTreeOrigin(state, readTreeOrigin(dir));
  saveState(state);
}

export async function up(version: MoodleVersion): Promise<HarnessState> {
  const started = Date.now();
  await installSystemPackages();
  const tree = await obtainTree(version);
  log(`Moodle ${tree.release} from ${tree.dir}`);
  const state = loadState(version);
  const origin = readTreeOrigin(tree.dir);
  const port = await startDatabaseServer();
  await ensureRole(state.databaseUser, state.databasePassword);
  const sites = ROLES.map((role) => sitePaths(version, role));
  const fresh: SitePaths[] = [];
  for (const site of sites) {
    if (
      state.treeDir === tree.dir &&
      state.release === tree.release &&
      // A tree imported again (another commit, another completion) is a new tree.
      state.sitesTreeImportedAt === origin?.importedAt &&
      state.seedRevision === SEED_REVISION &&
      (await siteIsInstalled(site, state))
    )
      continue;
    fresh.push(site);
  }
  if (fresh.length > 0) {
    for (const site of fresh) {
      stopCron(site);
      stopWebServer(site);
      state.sites[site.role] = { installed: false };
    }
    state.release = tree.release;
    state.treeDir = tree.dir;
    recordTreeOrigin(state, origin);
    if (origin) state.sitesTreeImportedAt = origin.importedAt;
    else delete state.sitesTreeImportedAt;
    saveState(state);
    await Promise.all(fresh.map((site) => installSite(tree, site, state, port)));
    for (const site of fresh) await takeSnapshot(site, state.databaseUser);
    state.seededAt = new Date().toISOString();
    state.seedRevision = SEED_REVISION;
    saveState(state);
  } else {
    for (const site of sites) {
      // A reset cut short between dropping the working database and copying the snapshot into it.
      if (!(await databaseExists(site.database))) await restoreSnapshot(site, state.databaseUser);
      else if (await writtenWhenTheDatabaseCrashed(site)) {
        log(
          `${site.role}: PostgreSQL was stopped without a shutdown (fsync is off for test sites): the working database is rebuilt from its snapshot`,
        );
        await restoreSnapshot(site, state.databaseUser);
      }
      writeConfigPhp(site, databaseLogin(state, port));
      if (!isRunning(site).web) await refreshOurPlugins(site);
      const addedLive = installLangpacks(site.dataDir);
      const addedSnapshot = installLangpacks(site.snapshotDataDir);
      if (addedLive || addedSnapshot) {
        await php(site, 'admin/cli/purge_caches.php', []);
        log(`${site.role}: language packs added (${availableLangpacks().join(', ')})`);
      }
    }
  }
  for (const site of sites) {
    await setConfig(site, 'enableasyncbackup', asyncRestoreWanted() ? '1' : '0');
    const startedWeb = await startWebServer(site);
    const startedCron = startCron(site);
    log(
      `${site.role}: ${site.wwwroot} ${startedWeb ? 'started' : 'already up'}, cron ${startedCron ? 'started' : 'already running'}`,
    );
  }
  log(`up in ${seconds(started)}`);
  return state;
}

/**
 * Right after a restore of the snapshot: when the snapshot's caches were built from other code or
 * language packs than the site has now, upgrade (our plugins may be newer), purge, warm the caches
 * through the running web server and snapshot again (with no adhoc task left queued), so later resets
 * start warm and quiet.
 */
async function rewarmSnapshotIfStale(site: SitePaths, state: HarnessState): Promise<void> {
  const key = cacheKey(site, state.treeDir ?? '', state.release ?? '');
  if (snapshotCacheKey(site) === key) return;
  const started = Date.now();
  await php(site, 'admin/cli/upgrade.php', ['--non-interactive', '--allow-unstable']);
  await php(site, 'admin/cli/purge_caches.php', []);
  // Queued by the install and by the purge: the build of every theme's CSS. Left in the snapshot, it
  // would run on cron after every reset, on both sites at once, while the tests drive them.
  await php(site, 'admin/cli/adhoc_task.php', ['--execute']);
  if (!isRunning(site).web) return;
  const failed = await warmCaches(site);
  if (failed.length > 0) {
    log(`${site.role}: caches not warmed (${failed.join('; ')}); the snapshot stays as it was`);
    return;
  }
  await takeSnapshot(site, state.databaseUser);
  recordSnapshotCacheKey(site, key);
  log(`${site.role}: snapshot refreshed with warm caches (${seconds(started)})`);
}

export async function reset(version: MoodleVersion): Promise<void> {
  const started = Date.now();
  const state = loadState(version);
  await startDatabaseServer();
  for (const role of ROLES) {
    const site = sitePaths(version, role);
    if (!(await siteIsInstalled(site, state)))
      throw new Error(`the ${role} site of ${version} is not installed: run "npm run harness -- up" first`);
  }
  await Promise.all(
    ROLES.map(async (role) => {
      const site = sitePaths(version, role);
      // A site that is up runs its cron, even when an earlier reset was cut short after stopping it.
      const cronWanted = stopCron(site) || isRunning(site).web;
      try {
        await restoreSnapshot(site, state.databaseUser);
        installLangpacks(site.dataDir);
        await rewarmSnapshotIfStale(site, state);
        await Promise.all([
          setConfig(site, 'enableasyncbackup', asyncRestoreWanted() ? '1' : '0'),
          // What the first course page of a site writes (tool_brickfield's registration status, its
          // default): a production site has it. Left unwritten, four workers opening their first pages
          // at once race to insert it, and Moodle answers "Error writing to database" (a duplicate key
          // in config_plugins, seen in PostgreSQL's log at 4 workers).
          setConfig(site, 'bfregstatus', '0', 'tool_brickfield'),
        ]);
      } finally {
        if (cronWanted) startCron(site);
      }
    }),
  );
  log(`reset to the seeded state in ${seconds(started)}`);
}

export async function nightly(version: MoodleVersion): Promise<void> {
  const started = Date.now();
  await runNightlyBackups(sitePaths(version, 'bleu'));
  log(`bleu's automated backups done in ${seconds(started)}`);
}

/**
 * The vert of `vertVersion` fetches its backups from the bleu of `bleuVersion` (the real upgrade path:
 * last year's platform on an older release than this year's). `reset` of `vertVersion` undoes it.
 */
export async function serveVertFrom(vertVersion: MoodleVersion, bleuVersion: MoodleVersion): Promise<void> {
  const bleuState = loadState(bleuVersion);
  const vert = sitePaths(vertVersion, 'vert');
  await setConfig(vert, 'bleuurl', sitePaths(bleuVersion, 'bleu').wwwroot, 'block_ecampus_restore');
  await setConfig(vert, 'token', bleuState.token, 'block_ecampus_restore');
  log(
    `${vertVersion} vert now fetches from the ${bleuVersion} bleu (${sitePaths(bleuVersion, 'bleu').wwwroot})`,
  );
}

export function down(version: MoodleVersion): void {
  for (const role of ROLES) {
    const site = sitePaths(version, role);
    const cron = stopCron(site);
    const web = stopWebServer(site);
    log(
      `${role}: ${web ? 'web server stopped' : 'web server was not running'}, ${cron ? 'cron stopped' : 'cron was not running'}`,
    );
  }
}

export interface HarnessStatus {
  version: MoodleVersion;
  release: string | undefined;
  seededAt: string | undefined;
  asyncRestore: boolean;
  accounts: { username: string; password: string; role: string }[];
  teacher: string;
  /** The code tree, and where an imported tree came from (with any files taken from another release). */
  tree: { dir: string; origin?: TreeOrigin; completion?: TreeOrigin['completion'] };
  sites: Record<
    SiteRole,
    {
      url: string;
      up: boolean;
      cron: boolean;
      installed: boolean;
      codeDir: string;
      dataDir: string;
      database: string;
      categoryId: number | undefined;
      courses: Record<string, number>;
    }
  >;
}

function describeTree(version: MoodleVersion, state: HarnessState): HarnessStatus['tree'] {
  const dir = state.treeDir ?? configuredTreeDir(version).dir;
  const origin = state.treeOrigin ?? readTreeOrigin(dir);
  return {
    dir,
    ...(origin ? { origin } : {}),
    ...(origin?.completion ? { completion: origin.completion } : {}),
  };
}

export function status(version: MoodleVersion): HarnessStatus {
  const state = loadState(version);
  const describe = (role: SiteRole) => {
    const site = sitePaths(version, role);
    const running = isRunning(site);
    const recorded = state.sites[role];
    return {
      url: site.wwwroot,
      up: running.web,
      cron: running.cron,
      installed: recorded?.installed ?? false,
      codeDir: site.codeDir,
      dataDir: site.dataDir,
      database: site.database,
      categoryId: recorded?.categoryid,
      courses: recorded?.courses ?? {},
    };
  };
  return {
    version,
    release: state.release,
    seededAt: state.seededAt,
    asyncRestore: asyncRestoreWanted(),
    accounts: [
      { username: 'admin', password: state.adminPassword, role: 'site administrator' },
      ...DEMO_USERS.map((user) => ({
        username: user.username,
        password: state.demoPassword,
        role: user.username.startsWith('teacher') ? 'editing teacher' : 'student',
      })),
    ],
    teacher: DEMO_TEACHER,
    tree: describeTree(version, state),
    sites: { bleu: describe('bleu'), vert: describe('vert') },
  };
}

/**
 * The settings (as environment variables) that log the robot in to this pair: as its teacher, or with
 * the credentials given.
 */
export function teacherEnvironment(
  current: HarnessStatus,
  credentials?: { username: string; password: string },
): Record<string, string> {
  const account = credentials ?? current.accounts.find((candidate) => candidate.username === current.teacher);
  if (!account) throw new Error('the harness names no teacher');
  return {
    VERT_URL: current.sites.vert.url,
    BLEU_URL: current.sites.bleu.url,
    MOODLE_USERNAME: account.username,
    MOODLE_PASSWORD: account.password,
    MOODLE_STORAGE_STATE: '',
  };
}
