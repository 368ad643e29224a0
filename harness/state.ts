import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stateFile, type MoodleVersion, type SiteRole } from './paths.js';
import type { TreeOrigin } from './tree-completion.js';

/** What `up` made and must remember: generated secrets and the seeded course ids. Owner-only file. */
export interface HarnessState {
  version: MoodleVersion;
  release?: string;
  treeDir?: string;
  /** Where an imported tree came from and what was added to it (`import-tree`), when it says. */
  treeOrigin?: TreeOrigin;
  /** `importedAt` of the tree the installed sites were built from (none: a tree that does not say). */
  sitesTreeImportedAt?: string;
  databaseUser: string;
  databasePassword: string;
  adminPassword: string;
  demoPassword: string;
  token: string;
  sites: Partial<
    Record<
      SiteRole,
      { installed: boolean; categoryid?: number; courses?: Record<string, number>; installSeconds?: number }
    >
  >;
  seededAt?: string;
  /** harness.ts's SEED_REVISION the sites were seeded with. */
  seedRevision?: number;
}

function secret(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Each release has its own database role: `up` sets the role's password from its own state, so a
 * role shared by releases side by side would lock the others out of their databases. (A state written
 * before this keeps the role it names.)
 */
export function databaseUserOf(version: MoodleVersion): string {
  return `ecampus_harness_${version.replace('.', '')}`;
}

export function loadState(version: MoodleVersion): HarnessState {
  const file = stateFile(version);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as HarnessState;
  return {
    version,
    databaseUser: databaseUserOf(version),
    databasePassword: secret(18),
    adminPassword: `Adm-${secret(12)}`,
    demoPassword: `Demo-${secret(9)}`,
    token: secret(32),
    sites: {},
  };
}

export function saveState(state: HarnessState): void {
  const file = stateFile(state.version);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(state, null, 2), { mode: 0o600 });
}
