import { MOODLE_RELEASES, type MoodleRelease } from '../domain/moodle-releases.js';
import type { RootSettingName } from '../domain/restore-settings.js';

/**
 * Every selector that differs between the Moodle releases or the themes the robot drives, keyed by
 * the release it appeared in and, where the theme draws it, by the theme family (as Grafana's
 * plugin-e2e keys its selectors by version and resolves them once, `resolveSelectors`). A site's
 * selectors are resolved once, when its release and theme are read (pages/moodle-site.ts); page
 * objects read the resolved ones and never branch on the release or the theme themselves.
 *
 * Sources: shared/reference/moodle-restore-ui-versions.md, and each theme's templates
 * (theme/boost/templates/drawers.mustache, theme/classic/templates/columns.mustache).
 */

/**
 * Boost and the themes built on it draw the course page with drawers; Classic and its children with
 * block columns. A theme that is neither (`other`) gets every family's selectors at once.
 */
export type ThemeFamily = 'boost' | 'classic' | 'other';
type KnownFamily = Exclude<ThemeFamily, 'other'>;

/** A value per release it appeared in: the one for the newest release at or before the site's applies. */
type SinceRelease<T> = { readonly '4.4': T } & Readonly<Partial<Record<MoodleRelease, T>>>;
/** A value per theme family; `undefined` where the family does not draw the thing at all. */
type ByTheme<T> = Readonly<Record<KnownFamily, SinceRelease<T | undefined>>>;

const standardRootField = (setting: RootSettingName) => `setting_root_${setting}`;

const AMD_SELECT_ALL = {
  all: '[data-mdl-action="selectall"][data-mdl-type="include"]',
  none: '[data-mdl-action="selectnone"][data-mdl-type="include"]',
};

export const VERSIONED_SELECTORS = {
  course: {
    /** Boost's edit-mode switch; Classic's "Turn editing on" button (both lead to editing on). */
    editModeControl: {
      boost: { '4.4': 'form.editmode-switch-form input[name="setmode"]' },
      classic: { '4.4': 'form:has(> input[name="edit"][value="on"]) [type="submit"]' },
    } satisfies ByTheme<string>,
    /**
     * Boost's "Add a block" link, by its own attributes (5.1 changed its wrapper, `.add_block_button`);
     * Classic's "Add a block" block (its form and list).
     */
    addBlockControl: {
      boost: { '4.4': 'a[data-key="addblock"][data-blockregion]' },
      classic: { '4.4': 'form:has(select[name="bui_addblock"])' },
    } satisfies ByTheme<string>,
    /** Boost's block drawer toggle; Classic shows its blocks in side columns, always. */
    blockDrawerToggle: {
      boost: {
        '4.4': '[data-toggler="drawers"][data-action="toggle"][data-target="theme_boost-drawers-blocks"]',
      },
      classic: { '4.4': undefined },
    } satisfies ByTheme<string>,
    blockDrawerShown: {
      boost: { '4.4': '#theme_boost-drawers-blocks.show, .drawer-right.show' },
      classic: { '4.4': undefined },
    } satisfies ByTheme<string>,
  },
  backupBlock: {
    /** The landmark role of a block (`section.block`): core's block template gave it a role in 4.5. */
    landmarkRole: { '4.4': 'complementary', '4.5': 'region' } satisfies SinceRelease<
      'complementary' | 'region'
    >,
  },
  restoreSettings: {
    /** Form field name of a root setting: 4.4 names the custom fields setting "customfields". */
    rootSettingField: {
      '4.4': (setting: RootSettingName) =>
        setting === 'customfield' ? 'setting_root_customfields' : standardRootField(setting),
      '4.5': standardRootField,
    } satisfies SinceRelease<(setting: RootSettingName) => string>,
  },
  restoreSchema: {
    /** "Select all / none": 4.4 inserts YUI links, 4.5 on an AMD template. */
    selectAllIncluded: {
      '4.4': { all: '#backup-all-included', none: '#backup-none-included' },
      '4.5': AMD_SELECT_ALL,
    } satisfies SinceRelease<{ all: string; none: string }>,
  },
} as const;

/** The selectors of one site: its release's, and its theme's. */
export interface SiteSelectors {
  course: {
    editModeControl: string;
    addBlockControl: string;
    /** Undefined on a theme without a block drawer. */
    blockDrawerToggle: string | undefined;
    blockDrawerShown: string | undefined;
  };
  backupBlock: { landmarkRoles: readonly ('complementary' | 'region')[] };
  restoreSettings: { rootSettingField: (setting: RootSettingName) => string };
  restoreSchema: { selectAllIncluded: { all: string; none: string } };
}

/** The value for `release`: the entry of the newest release at or before it. */
export function sinceRelease<T>(values: SinceRelease<T>, release: MoodleRelease): T {
  const known = MOODLE_RELEASES.slice(0, MOODLE_RELEASES.indexOf(release) + 1).reverse();
  for (const candidate of known) {
    if (candidate in values) return values[candidate] as T;
  }
  return values['4.4'];
}

/** A themed selector for a family; for a theme of neither family, every family's selector at once. */
function themed(values: ByTheme<string>, release: MoodleRelease, theme: ThemeFamily): string | undefined {
  const families: KnownFamily[] = theme === 'other' ? ['boost', 'classic'] : [theme];
  const selectors = families
    .map((family) => sinceRelease(values[family], release))
    .filter((selector) => selector !== undefined);
  return selectors.length === 0 ? undefined : selectors.join(', ');
}

function required(selector: string | undefined, name: string): string {
  if (selector === undefined) throw new Error(`no selector for ${name}`);
  return selector;
}

export function resolveSelectors(release: MoodleRelease, theme: ThemeFamily): SiteSelectors {
  const { course, backupBlock, restoreSettings, restoreSchema } = VERSIONED_SELECTORS;
  const role = sinceRelease(backupBlock.landmarkRole, release);
  return {
    course: {
      editModeControl: required(themed(course.editModeControl, release, theme), 'editModeControl'),
      addBlockControl: required(themed(course.addBlockControl, release, theme), 'addBlockControl'),
      blockDrawerToggle: themed(course.blockDrawerToggle, release, theme),
      blockDrawerShown: themed(course.blockDrawerShown, release, theme),
    },
    // A theme of neither family may draw blocks with its own template: both roles are looked for.
    backupBlock: { landmarkRoles: theme === 'other' ? ['region', 'complementary'] : [role] },
    restoreSettings: { rootSettingField: sinceRelease(restoreSettings.rootSettingField, release) },
    restoreSchema: { selectAllIncluded: sinceRelease(restoreSchema.selectAllIncluded, release) },
  };
}
