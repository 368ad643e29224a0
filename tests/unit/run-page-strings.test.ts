import { expect, test } from '@playwright/test';
import { RUN_PAGE_STRINGS } from '../../batch/run-page/strings.js';
import { sectionsCounted } from '../../rules/section-count.js';

test("the run's page counts sections as a person does, as the console line does (section 0 apart)", () => {
  // Moodle's count for a course of 15 numbered sections is 16: section 0 is the general section.
  expect(RUN_PAGE_STRINGS.en.restoredDetail(42, 16)).toBe(
    'Checked: 42 activities and 15 sections plus the general section, as in the backup.',
  );
  expect(RUN_PAGE_STRINGS.en.restoredDetail(0, 1)).toBe(
    'Checked: 0 activities and the general section only, as in the backup.',
  );
  expect(RUN_PAGE_STRINGS.fr.restoredDetail(42, 16)).toBe(
    'Vérifié : 42 activités et 15 sections plus la section générale, comme dans la sauvegarde.',
  );
  expect(RUN_PAGE_STRINGS.en.restoredDetail(3, 2)).toContain(sectionsCounted(2));
});

test('every outcome has a name in the counts and on a row, in both languages', () => {
  for (const strings of Object.values(RUN_PAGE_STRINGS))
    expect(Object.keys(strings.outcome).sort()).toEqual(Object.keys(strings.outcomes).sort());
});
