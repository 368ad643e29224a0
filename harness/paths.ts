import os from 'node:os';
import path from 'node:path';

export const MOODLE_VERSIONS = ['4.4', '4.5', '5.0', '5.1'] as const;
export type MoodleVersion = (typeof MOODLE_VERSIONS)[number];
export type SiteRole = 'bleu' | 'vert';

/** The official stable branch of each release, cloned when no tree is given. */
export const OFFICIAL_BRANCH: Record<MoodleVersion, string> = {
  '4.4': 'MOODLE_404_STABLE',
  '4.5': 'MOODLE_405_STABLE',
  '5.0': 'MOODLE_500_STABLE',
  '5.1': 'MOODLE_501_STABLE',
};
export const OFFICIAL_REPOSITORY = 'https://github.com/moodle/moodle.git';

/** Side-by-side releases each get their own ports: 4.5 keeps the documented 8081/8082. */
const PORT_BASE: Record<MoodleVersion, number> = { '4.4': 8071, '4.5': 8081, '5.0': 8091, '5.1': 8101 };

export function cacheRoot(): string {
  const xdg = process.env['XDG_CACHE_HOME'];
  return path.join(xdg && xdg !== '' ? xdg : path.join(os.homedir(), '.cache'), 'ecampus-restore');
}

export function defaultTreeDir(version: MoodleVersion): string {
  return path.join(cacheRoot(), `moodle-${version}`);
}

export function harnessHome(version: MoodleVersion): string {
  return path.join(cacheRoot(), 'harness', version);
}

export interface SitePaths {
  role: SiteRole;
  version: MoodleVersion;
  port: number;
  wwwroot: string;
  codeDir: string;
  dataDir: string;
  database: string;
  snapshotDatabase: string;
  snapshotDataDir: string;
  logFile: string;
  cronLogFile: string;
  pidFile: string;
  cronPidFile: string;
}

export function sitePaths(version: MoodleVersion, role: SiteRole): SitePaths {
  const home = harnessHome(version);
  const port = PORT_BASE[version] + (role === 'bleu' ? 0 : 1);
  const tag = `${version.replace('.', '')}_${role}`;
  return {
    role,
    version,
    port,
    wwwroot: `http://127.0.0.1:${port}`,
    codeDir: path.join(home, 'code', role),
    dataDir: path.join(home, 'data', role),
    database: `ecr_${tag}`,
    snapshotDatabase: `ecr_${tag}_seeded`,
    snapshotDataDir: path.join(home, 'snapshot', role),
    logFile: path.join(home, 'run', `${role}-web.log`),
    cronLogFile: path.join(home, 'run', `${role}-cron.log`),
    pidFile: path.join(home, 'run', `${role}-web.pid`),
    cronPidFile: path.join(home, 'run', `${role}-cron.pid`),
  };
}

export function stateFile(version: MoodleVersion): string {
  return path.join(harnessHome(version), 'state.json');
}

export const HARNESS_SOURCE_DIR = path.dirname(new URL(import.meta.url).pathname);
