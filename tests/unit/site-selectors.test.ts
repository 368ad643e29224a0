import { expect, test } from '@playwright/test';
import { MOODLE_RELEASES } from '../../domain/moodle-releases.js';
import { themeOfPage } from '../../pages/moodle-site.js';
import { resolveSelectors, sinceRelease } from '../../pages/site-selectors.js';

test('a versioned selector applies from the release it appeared in until a newer one replaces it', () => {
  const values = { '4.4': 'old', '5.0': 'new' } as const;
  expect(MOODLE_RELEASES.map((release) => sinceRelease(values, release))).toEqual([
    'old',
    'old',
    'new',
    'new',
  ]);
});

test('4.4 names the custom fields setting "customfields"; 4.5 on "customfield"', () => {
  const field = (release: (typeof MOODLE_RELEASES)[number]) =>
    resolveSelectors(release, 'boost').restoreSettings.rootSettingField;
  expect(field('4.4')('customfield')).toBe('setting_root_customfields');
  expect(field('4.4')('users')).toBe('setting_root_users');
  for (const release of ['4.5', '5.0', '5.1'] as const)
    expect(field(release)('customfield')).toBe('setting_root_customfield');
});

test("the schema's select-all: 4.4's YUI link, an AMD template from 4.5; a block's landmark role from 4.5", () => {
  expect(resolveSelectors('4.4', 'boost').restoreSchema.selectAllIncluded.all).toBe('#backup-all-included');
  expect(resolveSelectors('5.1', 'boost').restoreSchema.selectAllIncluded.all).toBe(
    '[data-mdl-action="selectall"][data-mdl-type="include"]',
  );
  expect(resolveSelectors('4.4', 'classic').backupBlock.landmarkRoles).toEqual(['complementary']);
  expect(resolveSelectors('4.5', 'classic').backupBlock.landmarkRoles).toEqual(['region']);
});

test("a theme's family picks its course-page controls; a theme of neither family gets both", () => {
  const boost = resolveSelectors('4.5', 'boost').course;
  const classic = resolveSelectors('4.5', 'classic').course;
  const other = resolveSelectors('4.5', 'other').course;
  expect(boost.editModeControl).toBe('form.editmode-switch-form input[name="setmode"]');
  expect(classic.editModeControl).toBe('form:has(> input[name="edit"][value="on"]) [type="submit"]');
  expect(other.editModeControl).toBe(`${boost.editModeControl}, ${classic.editModeControl}`);
  expect(classic.blockDrawerToggle).toBeUndefined();
  expect(other.blockDrawerToggle).toBe(boost.blockDrawerToggle);
  expect(resolveSelectors('4.5', 'other').backupBlock.landmarkRoles).toEqual(['region', 'complementary']);
});

test("a page's theme: Boost's drawers, Classic's fluid page with block columns, anything else 'other'", () => {
  const cfg = (theme: string) =>
    `<script>M.cfg = {"wwwroot":"https://vert","theme":"${theme}","sesskey":"x"};</script>`;
  expect(
    themeOfPage(
      `${cfg('boost')}<div id="page" data-region="mainpage" class="drawers show-drawer-right drag-container">`,
    ),
  ).toEqual({ name: 'boost', family: 'boost' });
  expect(
    themeOfPage(
      `${cfg('ecampus')}<div id="page" class="container-fluid d-print-block"><div data-region="blocks-column" class="d-print-none">`,
    ),
  ).toEqual({ name: 'ecampus', family: 'classic' });
  expect(themeOfPage(`${cfg('fancy')}<div id="page" class="wrapper">`)).toEqual({
    name: 'fancy',
    family: 'other',
  });
  expect(themeOfPage('<html><body>login</body></html>')).toEqual({ name: undefined, family: 'other' });
});
