import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { availableLangpacks } from './langpacks.js';
import type { SitePaths } from './paths.js';
import { OUR_PLUGINS } from './plain-code.js';
import { webRootOf } from './tree-layout.js';

/**
 * A snapshot taken with cold caches makes every reset pay Moodle's first-request work again: the
 * theme's SCSS compiled, every AMD module bundled, language strings read (about 20 s per site on two
 * CPUs, seen as the first robot step after each reset). The harness therefore keeps the snapshot warm:
 * it records what its caches were built from, and when that changes (our plugins, language packs, the
 * Moodle tree) the next reset purges, upgrades, warms and snapshots again.
 */
const KEY_FILE = '.ecampus-cache-key';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * What the site's caches depend on besides its database: the code and the language packs. Our plugins
 * as the site has them (copied at `up`), not as the worktree has them: a plugin edited while the site
 * runs is not on the site yet, and a key taken from the worktree would mark the snapshot upgraded to
 * code it never saw (its later resets then skipped the upgrade).
 */
export function cacheKey(site: SitePaths, treeDir: string, release: string): string {
  const hash = createHash('sha256').update(`${treeDir}\n${release}\n${availableLangpacks().join(',')}\n`);
  for (const folder of Object.keys(OUR_PLUGINS[site.role])) {
    const root = path.join(webRootOf(site.codeDir), folder);
    if (!existsSync(root)) continue;
    for (const file of filesUnder(root).sort()) {
      hash.update(path.relative(root, file)).update(readFileSync(file));
    }
  }
  return hash.digest('hex');
}

export function snapshotCacheKey(site: SitePaths): string | undefined {
  const file = path.join(site.snapshotDataDir, KEY_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

export function recordSnapshotCacheKey(site: SitePaths, key: string): void {
  if (existsSync(site.snapshotDataDir) && statSync(site.snapshotDataDir).isDirectory())
    writeFileSync(path.join(site.snapshotDataDir, KEY_FILE), `${key}\n`, { mode: 0o600 });
}

/**
 * Builds what a first visitor would make Moodle build: the theme's CSS, the JavaScript the login page
 * loads, and the bundle of every AMD module (`core/first.js`), each fetched once from the running site.
 */
export async function warmCaches(site: SitePaths): Promise<string[]> {
  const page = await fetch(`${site.wwwroot}/login/index.php`);
  const html = await page.text();
  const assets = new Set(
    [...html.matchAll(/(?:href|src)="([^"]+\.php\/[^"]+)"/g)]
      .map((match) => (match[1] ?? '').replace(/&amp;/g, '&'))
      .filter((url) => url.startsWith(site.wwwroot)),
  );
  const jsrev = /requirejs\.php\/(-?\d+)\//.exec(html)?.[1];
  if (jsrev !== undefined) assets.add(`${site.wwwroot}/lib/requirejs.php/${jsrev}/core/first.js`);
  const failed: string[] = [];
  for (const url of assets) {
    const answer = await fetch(url);
    await answer.arrayBuffer();
    if (!answer.ok) failed.push(`${url}: HTTP ${answer.status}`);
  }
  if (!page.ok) failed.push(`${site.wwwroot}/login/index.php: HTTP ${page.status}`);
  return failed;
}
