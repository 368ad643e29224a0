import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { webRootOf } from './tree-layout.js';

/**
 * Folders an upload of a Moodle tree is known to lose (a `.gitignore` that drops every folder named
 * `data`) although Moodle cannot install without them: the JavaScript minifier's keyword lists and
 * the AWS SDK's service descriptions. Both are third-party data that do not change with Moodle's own
 * code, so another release's tree can lend them. Paths are relative to the web root.
 */
export const KNOWN_INSTALL_GAPS = ['lib/minify/matthiasmullie-minify/data', 'lib/aws-sdk/src/data'] as const;

export interface TakenFile {
  /** Path in the completed tree, relative to its root. */
  file: string;
  /** Absolute path it was copied from. */
  from: string;
}

export interface TreeCompletion {
  fromVersion: string;
  fromRelease: string;
  fromDir: string;
  folders: string[];
  files: TakenFile[];
}

/** Where the tree came from, and what was added to it: kept beside the tree and in the harness state. */
export interface TreeOrigin {
  gitDir: string;
  ref: string;
  commit: string;
  subdir?: string;
  importedAt: string;
  /** Files of the git listing whose blobs the git directory lacks. */
  skipped: string[];
  completion?: TreeCompletion;
}

const ORIGIN_FILE = '.ecampus-tree.json';

export function readTreeOrigin(treeDir: string): TreeOrigin | undefined {
  const file = path.join(treeDir, ORIGIN_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as TreeOrigin) : undefined;
}

export function writeTreeOrigin(treeDir: string, origin: TreeOrigin): void {
  writeFileSync(path.join(treeDir, ORIGIN_FILE), `${JSON.stringify(origin, null, 2)}\n`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

/** The folders among `folders` that the tree lacks. */
export function missingFolders(treeDir: string, folders: readonly string[]): string[] {
  return folders.filter((folder) => !existsSync(path.join(webRootOf(treeDir), folder)));
}

/**
 * Copies into `targetDir` each of `folders` that it lacks, from the same place in `sourceDir` (read
 * only), and lists every file taken. A folder the source lacks too is an error before anything is
 * copied; a folder the target already has is left as it is.
 */
export function completeTree(
  targetDir: string,
  source: { dir: string; version: string; release: string },
  folders: readonly string[] = KNOWN_INSTALL_GAPS,
): TreeCompletion {
  const wanted = missingFolders(targetDir, folders);
  const sourceRoot = webRootOf(source.dir);
  const absent = wanted.filter((folder) => !existsSync(path.join(sourceRoot, folder)));
  if (absent.length > 0)
    throw new Error(
      `the Moodle ${source.version} tree at ${source.dir} lacks ${absent.join(', ')} too: nothing copied`,
    );
  const targetRoot = webRootOf(targetDir);
  const files: TakenFile[] = [];
  for (const folder of wanted) {
    for (const from of filesUnder(path.join(sourceRoot, folder)).sort()) {
      const to = path.join(targetRoot, path.relative(sourceRoot, from));
      mkdirSync(path.dirname(to), { recursive: true });
      copyFileSync(from, to);
      files.push({ file: path.relative(targetDir, to), from });
    }
  }
  return {
    fromVersion: source.version,
    fromRelease: source.release,
    fromDir: source.dir,
    folders: wanted,
    files,
  };
}

/** One line per completed folder, for `import-tree` and `status`. */
export function describeCompletion(completion: TreeCompletion): string[] {
  return completion.folders.map((folder) => {
    const count = completion.files.filter((taken) =>
      taken.from.startsWith(path.join(webRootOf(completion.fromDir), folder) + path.sep),
    ).length;
    return `${folder}: ${count} file(s) from Moodle ${completion.fromRelease} (${path.join(webRootOf(completion.fromDir), folder)})`;
  });
}
