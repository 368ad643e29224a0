import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { importTreeFromGit } from '../../harness/moodle-tree.js';
import { nginxConfig } from '../../harness/nginx-php-fpm.js';
import { KNOWN_INSTALL_GAPS, readTreeOrigin } from '../../harness/tree-completion.js';
import { webRootOf } from '../../harness/tree-layout.js';
import { scratchDir } from '../helpers/scratch-dir.js';

/**
 * Tiny stand-ins for Moodle trees (version.php, lib/plugins.json and the folders under test), so
 * import-tree's commit, folder and completion are checked without a real tree. The cache folder is
 * pointed at a scratch folder for the test (XDG_CACHE_HOME), never at the real one.
 */
function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

const versionPhp = (branch: string, release: string) =>
  `<?php\n$release  = '${release}';\n$branch   = '${branch}';\n`;

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.invalid',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.invalid',
    },
  }).trim();
}

test.describe.configure({ mode: 'serial' });

const REDIRECTED = ['XDG_CACHE_HOME', 'MOODLE_DIR', 'MOODLE_DIR_4_4', 'MOODLE_DIR_4_5', 'MOODLE_DIR_5_0'];
let cache: string;
const saved: Record<string, string | undefined> = {};
test.beforeAll(() => {
  cache = scratchDir('tree-import');
  for (const name of REDIRECTED) {
    saved[name] = process.env[name];
    Reflect.deleteProperty(process.env, name);
  }
  process.env['XDG_CACHE_HOME'] = cache;
});
test.afterAll(() => {
  for (const name of REDIRECTED) {
    const value = saved[name];
    if (value === undefined) Reflect.deleteProperty(process.env, name);
    else process.env[name] = value;
  }
});

/** A repository whose folder src/ holds a 5.1-like tree (public/ web root), the data folders missing. */
function upload(): { repo: string; first: string } {
  const repo = path.join(scratchDir('upload'), 'repo');
  mkdirSync(repo, { recursive: true });
  git(repo, 'init', '-q');
  writeFiles(repo, {
    'src/lib/plugins.json': '{"standard":{}}',
    'src/lib/components.json': '{"plugintypes":{}}',
    'src/admin/cli/install.php': '<?php\n',
    'src/public/version.php': versionPhp('501', '5.1.3+ (Build: 20260227)'),
    'src/public/lib/minify/matthiasmullie-minify/src/JS.php': '<?php\n',
    'README.txt': 'not Moodle',
  });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'first');
  const first = git(repo, 'rev-parse', 'HEAD');
  // A later commit that removed the tree, as the upload's last commit did.
  git(repo, 'rm', '-q', '-r', 'src');
  git(repo, 'commit', '-q', '-m', 'removed');
  // import-tree reads a git directory (the fetched snapshots have no work tree).
  return { repo: path.join(repo, '.git'), first };
}

test('a commit and a folder of a repository become the cache tree; its public/ is the web root', async () => {
  const { repo, first } = upload();
  const { tree, skipped, completion } = await importTreeFromGit(repo, '5.1', { ref: first, subdir: 'src' });
  expect(tree).toMatchObject({ version: '5.1', release: '5.1.3+ (Build: 20260227)' });
  expect(tree.dir).toBe(path.join(cache, 'ecampus-restore', 'moodle-5.1'));
  expect(skipped).toEqual([]);
  expect(completion).toBeUndefined();
  expect(existsSync(path.join(tree.dir, 'admin', 'cli', 'install.php'))).toBe(true);
  expect(existsSync(path.join(tree.dir, 'README.txt'))).toBe(false);
  expect(webRootOf(tree.dir)).toBe(path.join(tree.dir, 'public'));
  expect(readTreeOrigin(tree.dir)).toMatchObject({ commit: first, subdir: 'src', skipped: [] });
  // nginx serves the web root, not the folder that holds config.php and admin/cli/.
  const conf = nginxConfig({
    name: 'vert',
    port: 8102,
    codeDir: webRootOf(tree.dir),
    dataDir: path.join(cache, 'data'),
    runDir: path.join(cache, 'run'),
    pidFile: path.join(cache, 'run', 'vert-web.pid'),
    phpSettings: ['max_input_vars=5000'],
    children: 1,
  });
  expect(conf).toContain(`root ${path.join(tree.dir, 'public')};`);
  // HEAD (the commit that removed the tree) is no Moodle 5.1 tree: refused, the cached tree kept.
  await expect(importTreeFromGit(repo, '5.1', { subdir: 'src' })).rejects.toThrow();
  expect(existsSync(path.join(tree.dir, 'public', 'version.php'))).toBe(true);
});

test('another release lends the known missing folders only when asked, and every file taken is listed', async () => {
  const { repo, first } = upload();
  const lender = path.join(cache, 'ecampus-restore', 'moodle-5.0');
  writeFiles(lender, {
    'version.php': versionPhp('500', '5.0.6+ (Build: 20260403)'),
    'lib/plugins.json': '{"standard":{}}',
    'lib/minify/matthiasmullie-minify/data/js/keywords_after.txt': 'in\n',
    'lib/minify/matthiasmullie-minify/data/js/operators.txt': '+\n',
    'lib/aws-sdk/src/data/s3/2006-03-01/api-2.json.php': '<?php\n',
  });
  const plain = await importTreeFromGit(repo, '5.1', { ref: first, subdir: 'src' });
  expect(existsSync(path.join(plain.tree.dir, 'public', KNOWN_INSTALL_GAPS[0]))).toBe(false);

  const { tree, completion } = await importTreeFromGit(repo, '5.1', {
    ref: first,
    subdir: 'src',
    completeFrom: '5.0',
  });
  expect(completion?.folders).toEqual([...KNOWN_INSTALL_GAPS]);
  expect(completion?.files).toEqual([
    {
      file: 'public/lib/minify/matthiasmullie-minify/data/js/keywords_after.txt',
      from: path.join(lender, 'lib/minify/matthiasmullie-minify/data/js/keywords_after.txt'),
    },
    {
      file: 'public/lib/minify/matthiasmullie-minify/data/js/operators.txt',
      from: path.join(lender, 'lib/minify/matthiasmullie-minify/data/js/operators.txt'),
    },
    {
      file: 'public/lib/aws-sdk/src/data/s3/2006-03-01/api-2.json.php',
      from: path.join(lender, 'lib/aws-sdk/src/data/s3/2006-03-01/api-2.json.php'),
    },
  ]);
  expect(
    readFileSync(
      path.join(tree.dir, 'public/lib/minify/matthiasmullie-minify/data/js/operators.txt'),
      'utf8',
    ),
  ).toBe('+\n');
  expect(readTreeOrigin(tree.dir)?.completion).toEqual(completion);

  // No such lender, or one lacking a folder too: refused, the cached tree kept as it was.
  await expect(
    importTreeFromGit(repo, '5.1', { ref: first, subdir: 'src', completeFrom: '4.4' }),
  ).rejects.toThrow(/--complete-from 4.4: No Moodle 4.4 code tree/);
  writeFiles(path.join(cache, 'ecampus-restore', 'moodle-4.5'), {
    'version.php': versionPhp('405', '4.5.5+ (Build: 20250613)'),
    'lib/plugins.json': '{"standard":{}}',
    'lib/minify/matthiasmullie-minify/data/js/operators.txt': '+\n',
  });
  await expect(
    importTreeFromGit(repo, '5.1', { ref: first, subdir: 'src', completeFrom: '4.5' }),
  ).rejects.toThrow(/lacks lib\/aws-sdk\/src\/data too: nothing copied/);
  expect(readTreeOrigin(tree.dir)?.completion).toEqual(completion);
  expect(existsSync(`${tree.dir}.part`)).toBe(false);
});
