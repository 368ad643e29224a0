import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Where things are in a Moodle code folder. From 5.1 everything a web server may serve lives in
 * `public/` (plugins, `version.php`, the pages); `config.php`, `admin/cli/`, `lib/plugins.json`,
 * `lib/components.json` and a forwarding `lib/setup.php` stay at the root. Up to 5.0 the root is
 * the web root. Read from the folder itself, never from the release number.
 */
export const PUBLIC_FOLDER = 'public';

export function hasPublicRoot(codeDir: string): boolean {
  return existsSync(path.join(codeDir, PUBLIC_FOLDER, 'version.php'));
}

/** The folder the web server serves: `public/` when the tree has one, else the root. */
export function webRootOf(codeDir: string): string {
  return hasPublicRoot(codeDir) ? path.join(codeDir, PUBLIC_FOLDER) : codeDir;
}

/** Moodle's own `version.php` (inside `public/` from 5.1). */
export function versionFileOf(codeDir: string): string {
  return path.join(webRootOf(codeDir), 'version.php');
}
