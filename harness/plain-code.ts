import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { HARNESS_SOURCE_DIR } from './paths.js';
import { run } from './run-command.js';
import { webRootOf } from './tree-layout.js';

/** Our own Moodle plugins, by the folder they go to in a Moodle code tree. */
export const OUR_PLUGINS = {
  vert: { 'blocks/ecampus_restore': 'block_ecampus_restore' },
  bleu: { 'local/ecampus_export': 'local_ecampus_export' },
} as const;

interface PluginTypeDirs {
  [type: string]: string;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

/** Subplugin types a plugin declares, each with its folder relative to the code root. */
function subpluginTypes(codeDir: string, pluginDir: string): PluginTypeDirs {
  const file = path.join(pluginDir, 'db', 'subplugins.json');
  if (!existsSync(file)) return {};
  const data = readJson(file) as { plugintypes?: PluginTypeDirs; subplugintypes?: PluginTypeDirs };
  if (data.subplugintypes) {
    const relativeToPlugin = Object.entries(data.subplugintypes);
    return Object.fromEntries(
      relativeToPlugin.map(([type, dir]) => [type, path.relative(codeDir, path.join(pluginDir, dir))]),
    );
  }
  return data.plugintypes ?? {};
}

/**
 * The plugin folders of a tree that its own lib/plugins.json does not list as standard. Plugin types
 * come from lib/components.json and, for subplugins, from each standard plugin's db/subplugins.json.
 */
export function nonStandardPluginFolders(codeDir: string): string[] {
  const standard = (
    readJson(path.join(codeDir, 'lib', 'plugins.json')) as { standard: Record<string, string[]> }
  ).standard;
  // 5.0 lists types on their way out (mnetservice) apart, in deprecatedplugintypes: still plugins.
  const components = readJson(path.join(codeDir, 'lib', 'components.json')) as {
    plugintypes: PluginTypeDirs;
    deprecatedplugintypes?: PluginTypeDirs;
  };
  const types = { ...components.plugintypes, ...components.deprecatedplugintypes };
  const extra: string[] = [];
  const pending = Object.entries(types);
  const seen = new Set<string>();
  while (pending.length > 0) {
    const [type, relativeDir] = pending.shift() ?? ['', ''];
    if (seen.has(type)) continue;
    seen.add(type);
    const typeDir = path.join(codeDir, relativeDir);
    if (!existsSync(typeDir)) continue;
    const allowed = new Set(standard[type] ?? []);
    for (const entry of readdirSync(typeDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const pluginDir = path.join(typeDir, entry.name);
      if (!existsSync(path.join(pluginDir, 'version.php'))) continue;
      if (!allowed.has(entry.name)) {
        extra.push(path.relative(codeDir, pluginDir));
        continue;
      }
      pending.push(...Object.entries(subpluginTypes(codeDir, pluginDir)));
    }
  }
  return extra.sort();
}

/**
 * A site's code folder: the tree hard-linked (fast, and Moodle's files are never written to), every
 * plugin that is not standard left out, and our plugins for that site copied in.
 */
export async function buildPlainCode(
  treeDir: string,
  codeDir: string,
  ours: Record<string, string>,
): Promise<string[]> {
  const partial = `${codeDir}.part`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(path.dirname(codeDir), { recursive: true });
  await run('cp', ['-al', treeDir, partial]);
  rmSync(path.join(partial, 'config.php'), { force: true });
  const leftOut = nonStandardPluginFolders(partial);
  for (const folder of leftOut) rmSync(path.join(partial, folder), { recursive: true, force: true });
  rmSync(codeDir, { recursive: true, force: true });
  await run('mv', [partial, codeDir]);
  installOurPlugins(codeDir, ours);
  return leftOut;
}

/** Copies (never links) our plugins into a site's code (its web root), replacing older copies. */
export function installOurPlugins(codeDir: string, ours: Record<string, string>): void {
  for (const [folder, component] of Object.entries(ours)) {
    const target = path.join(webRootOf(codeDir), folder);
    rmSync(target, { recursive: true, force: true });
    cpSync(path.join(HARNESS_SOURCE_DIR, 'moodle-plugins', component), target, { recursive: true });
  }
}
