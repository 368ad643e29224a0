import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { OFFICIAL_BRANCH, OFFICIAL_REPOSITORY, defaultTreeDir, type MoodleVersion } from './paths.js';
import { run } from './run-command.js';
import { completeTree, writeTreeOrigin, type TreeCompletion, type TreeOrigin } from './tree-completion.js';
import { versionFileOf } from './tree-layout.js';

export interface MoodleTree {
  dir: string;
  version: MoodleVersion;
  /** `$release` of the tree's version.php, e.g. "4.5.5+ (Build: 20250613)". */
  release: string;
}

const BRANCH_OF_VERSION: Record<MoodleVersion, string> = {
  '4.4': '404',
  '4.5': '405',
  '5.0': '500',
  '5.1': '501',
};

export function readTreeRelease(dir: string): { branch: string; release: string } | undefined {
  const versionFile = versionFileOf(dir);
  if (!existsSync(versionFile) || !existsSync(path.join(dir, 'lib', 'plugins.json'))) return undefined;
  const source = readFileSync(versionFile, 'utf8');
  const branch = /\$branch\s*=\s*'(\d+)'/.exec(source)?.[1];
  const release = /\$release\s*=\s*'([^']+)'/.exec(source)?.[1];
  return branch && release ? { branch, release } : undefined;
}

/** Where the tree of a release is looked for: MOODLE_DIR_<4_5>, then MOODLE_DIR (4.5 only), then the cache. */
export function configuredTreeDir(version: MoodleVersion): { dir: string; from: string } {
  const specific = `MOODLE_DIR_${version.replace('.', '_')}`;
  const specificValue = process.env[specific];
  if (specificValue) return { dir: path.resolve(specificValue), from: specific };
  const generic = process.env['MOODLE_DIR'];
  if (generic && version === '4.5') return { dir: path.resolve(generic), from: 'MOODLE_DIR' };
  return { dir: defaultTreeDir(version), from: 'the cache folder' };
}

export function findTree(version: MoodleVersion): MoodleTree | undefined {
  const { dir } = configuredTreeDir(version);
  const found = readTreeRelease(dir);
  if (!found) return undefined;
  if (found.branch !== BRANCH_OF_VERSION[version]) {
    throw new Error(
      `${dir} holds Moodle ${found.release} (branch ${found.branch}), not ${version}: point ${configuredTreeDir(version).from} at a ${version} tree`,
    );
  }
  return { dir, version, release: found.release };
}

export function howToProvideTree(version: MoodleVersion): string {
  const specific = `MOODLE_DIR_${version.replace('.', '_')}`;
  return [
    `No Moodle ${version} code tree was found.`,
    `Provide one in any of these ways:`,
    `  - set ${specific}${version === '4.5' ? ' (or MOODLE_DIR)' : ''} to a Moodle ${version} code folder (the one holding version.php);`,
    `  - put such a folder at ${defaultTreeDir(version)};`,
    `  - or export a Moodle git directory there: npm run harness -- import-tree <git-dir> --version ${version}`,
  ].join('\n');
}

/** Clones the official stable branch into the cache folder (what a machine on a normal network gets). */
export async function cloneOfficialTree(version: MoodleVersion): Promise<MoodleTree> {
  const target = defaultTreeDir(version);
  const partial = `${target}.part`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(path.dirname(target), { recursive: true });
  console.log(`harness: cloning ${OFFICIAL_BRANCH[version]} of ${OFFICIAL_REPOSITORY} into ${target}`);
  await run(
    'git',
    ['clone', '--depth=1', `--branch=${OFFICIAL_BRANCH[version]}`, OFFICIAL_REPOSITORY, partial],
    {
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    },
  );
  renameSync(partial, target);
  const tree = findTree(version);
  if (!tree) throw new Error(`the clone at ${target} is not a Moodle tree`);
  return tree;
}

export interface ImportOptions {
  ref?: string;
  /** A folder inside the repository that holds the Moodle tree (e.g. `src`). */
  subdir?: string;
  /**
   * Only when asked: the release whose tree lends the folders this one is known to lack
   * (tree-completion.ts); every file taken is listed, beside the tree and in the harness state.
   */
  completeFrom?: MoodleVersion;
}

/**
 * Writes the tree of a git directory's HEAD (or `ref`, optionally only its folder `subdir`) into the
 * cache folder. Blobs the git directory lacks (partial copies leave out the largest files) are
 * skipped and listed.
 */
export async function importTreeFromGit(
  gitDir: string,
  version: MoodleVersion,
  { ref = 'HEAD', subdir, completeFrom }: ImportOptions = {},
): Promise<{ tree: MoodleTree; skipped: string[]; completion?: TreeCompletion }> {
  const git = (args: string[], input?: string) =>
    run('git', [`--git-dir=${gitDir}`, ...args], input === undefined ? {} : { input });
  const commit = (await git(['rev-parse', '--verify', `${ref}^{commit}`])).trim();
  const folder = subdir?.replace(/^\/+|\/+$/g, '');
  const treeish = folder ? `${commit}:${folder}` : commit;
  const lender = completeFrom === undefined ? undefined : findTree(completeFrom);
  if (completeFrom !== undefined && !lender)
    throw new Error(
      `--complete-from ${completeFrom}: ${howToProvideTree(completeFrom).split('\n')[0] ?? ''}`,
    );
  const listing = await git(['ls-tree', '-r', '-z', treeish]);
  const blobs = listing
    .split('\0')
    .filter((entry) => entry.includes(' blob '))
    .map((entry) => {
      const [meta = '', file = ''] = entry.split('\t');
      return { hash: meta.split(' ')[2] ?? '', file };
    });
  if (blobs.length === 0) throw new Error(`${gitDir} has no files at ${treeish}`);
  const checked = await git(['cat-file', '--batch-check'], blobs.map((blob) => blob.hash).join('\n') + '\n');
  const missingHashes = new Set(
    checked
      .split('\n')
      .filter((line) => line.endsWith(' missing'))
      .map((line) => line.split(' ')[0]),
  );
  const skipped = blobs.filter((blob) => missingHashes.has(blob.hash)).map((blob) => blob.file);
  const target = defaultTreeDir(version);
  const partial = `${target}.part`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const excludes = skipped.map((file) => `:(exclude,literal)${file}`);
  await run('bash', [
    '-c',
    'set -o pipefail; git --git-dir="$1" archive --format=tar "$2" -- . "${@:4}" | tar -x -C "$3"',
    'import-tree',
    gitDir,
    treeish,
    partial,
    ...excludes,
  ]);
  const found = readTreeRelease(partial);
  if (found?.branch !== BRANCH_OF_VERSION[version]) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(
      `${gitDir} at ${treeish} is not a Moodle ${version} tree (${found ? `it holds ${found.release}` : 'no version.php / lib/plugins.json'})`,
    );
  }
  let completion: TreeCompletion | undefined;
  try {
    completion = lender ? completeTree(partial, lender) : undefined;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  const origin: TreeOrigin = {
    gitDir: path.resolve(gitDir),
    ref,
    commit,
    ...(folder ? { subdir: folder } : {}),
    importedAt: new Date().toISOString(),
    skipped,
    ...(completion ? { completion } : {}),
  };
  writeTreeOrigin(partial, origin);
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
  const tree = findTree(version);
  if (!tree) throw new Error(`${gitDir} at ${treeish} is not a Moodle ${version} tree`);
  return { tree, skipped, ...(completion ? { completion } : {}) };
}

/** The tree to build sites from: configured, cached, or cloned; otherwise a message saying how to give one. */
export async function obtainTree(version: MoodleVersion): Promise<MoodleTree> {
  const found = findTree(version);
  if (found) return found;
  const configured = configuredTreeDir(version);
  if (configured.from !== 'the cache folder') {
    throw new Error(
      `${configured.from}=${configured.dir} is not a Moodle code folder (no version.php / lib/plugins.json)`,
    );
  }
  try {
    return await cloneOfficialTree(version);
  } catch (error) {
    throw new Error(
      `${howToProvideTree(version)}\n(clone failed: ${(error as Error).message.split('\n')[0] ?? ''})`,
      { cause: error },
    );
  }
}
