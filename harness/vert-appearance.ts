import { sitePaths, type MoodleVersion, type SiteRole } from './paths.js';
import { php, setConfig } from './site.js';

/**
 * How vert looks to a teacher, beyond our seed: Moodle's other standard theme, or a backup block that
 * is not ours (another title, link text and markup). `reset` brings back the snapshot's (Boost, our
 * block as it is).
 */
export const STANDARD_THEMES = ['boost', 'classic'] as const;
export type StandardTheme = (typeof STANDARD_THEMES)[number];

export function isStandardTheme(value: string): value is StandardTheme {
  return (STANDARD_THEMES as readonly string[]).includes(value);
}

/** The site theme of vert, as an administrator sets it (admin/cli/cfg.php), caches purged. */
export async function setVertTheme(version: MoodleVersion, theme: StandardTheme): Promise<void> {
  await setSiteTheme(version, 'vert', theme);
}

/** The site theme of either site (bleu too, for the restore wizard's pages drawn by that theme). */
export async function setSiteTheme(
  version: MoodleVersion,
  role: SiteRole,
  theme: StandardTheme,
): Promise<void> {
  const site = sitePaths(version, role);
  await setConfig(site, 'theme', theme);
  await php(site, 'admin/cli/purge_caches.php', []);
}

export interface BlockVariant {
  title: string;
  linkText: string;
}

/**
 * Our block drawn as another university's would be: the given title and link text, no `data-block`,
 * no `data-action`, other classes. `undefined` brings our own block back.
 */
export async function setBlockVariant(
  version: MoodleVersion,
  variant: BlockVariant | undefined,
): Promise<void> {
  const vert = sitePaths(version, 'vert');
  const component = 'block_ecampus_restore';
  await setConfig(vert, 'varianttitle', variant?.title ?? '', component);
  await setConfig(vert, 'variantlink', variant?.linkText ?? '', component);
  await setConfig(vert, 'variant', variant === undefined ? '0' : '1', component);
}
