import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { cacheRoot } from './paths.js';
import { run } from './run-command.js';

/**
 * Moodle language packs for the harness sites (French, for the university's interface). Moodle reads
 * them from `<dataroot>/lang/<code>`; the harness keeps them in the cache folder, never in the repo.
 */
export const HARNESS_LANGUAGES = ['fr'] as const;

export function langpackDir(code: string): string {
  return path.join(cacheRoot(), 'langpacks', code);
}

export function availableLangpacks(): string[] {
  return HARNESS_LANGUAGES.filter((code) => existsSync(path.join(langpackDir(code), 'langconfig.php')));
}

/** Exports `<code>/` of a language-pack git directory (one folder per language) into the cache. */
export async function importLangpackFromGit(gitDir: string, code: string, ref = 'HEAD'): Promise<string> {
  const target = langpackDir(code);
  const partial = `${target}.part`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  await run('bash', [
    '-c',
    'set -o pipefail; git --git-dir="$1" archive --format=tar "$2" "$3/" | tar -x -C "$4" --strip-components=1',
    'import-langpack',
    gitDir,
    ref,
    code,
    partial,
  ]);
  if (!existsSync(path.join(partial, 'langconfig.php')))
    throw new Error(`${gitDir} has no ${code}/langconfig.php`);
  rmSync(target, { recursive: true, force: true });
  cpSync(partial, target, { recursive: true });
  rmSync(partial, { recursive: true, force: true });
  return target;
}

/** Copies the cached packs into a dataroot; answers whether anything was added. */
export function installLangpacks(dataDir: string): boolean {
  let added = false;
  for (const code of availableLangpacks()) {
    const target = path.join(dataDir, 'lang', code);
    if (existsSync(path.join(target, 'langconfig.php'))) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(langpackDir(code), target, { recursive: true });
    added = true;
  }
  return added;
}
