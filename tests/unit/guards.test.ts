import { expect, test } from '@playwright/test';
import { namesMoodleRestores } from '../../rules/restorable-names.js';
import type { CourseInventory } from '../../domain/course-inventory.js';
import { targetIsEmpty } from '../../rules/guards.js';

const emptySections = [0, 1, 2, 3, 4].map((number) => ({
  number,
  name: number === 0 ? 'General' : `Topic ${number}`,
  customName: false,
  hasSummary: false,
}));
const newsForum = { cmid: 1, modulename: 'forum', name: 'Annonces', sectionNumber: 0, isNewsForum: true };

test('a new course (announcements forum, empty sections) is empty', () => {
  expect(targetIsEmpty({ sections: emptySections, activities: [newsForum] })).toEqual({
    guard: 'target-empty',
    verdict: 'pass',
    detail: 'empty: 5 empty section(s)',
  });
});

test('any activity, renamed section or summary is content: refused, with no override', () => {
  const course: CourseInventory = {
    sections: emptySections.map((section) =>
      section.number === 2
        ? { ...section, name: 'Week 2', customName: true }
        : section.number === 3
          ? { ...section, hasSummary: true }
          : section,
    ),
    activities: [
      newsForum,
      { cmid: 2, modulename: 'forum', name: 'Q&A', sectionNumber: 1, isNewsForum: false },
    ],
  };
  const verdict = targetIsEmpty(course);
  expect(verdict).toEqual({
    guard: 'target-empty',
    verdict: 'refuse',
    detail:
      'the course already has content (forum "Q&A" in section 1; section 2 named "Week 2"; a summary in section 3): restoring would delete it',
  });
  expect('overrideFlag' in verdict).toBe(false);
});

test('a news forum outside section 0 is content', () => {
  expect(
    targetIsEmpty({ sections: emptySections, activities: [{ ...newsForum, sectionNumber: 1 }] }).verdict,
  ).toBe('refuse');
});

test('a long list of content is cut to five', () => {
  const activities = Array.from({ length: 8 }, (_, i) => ({
    cmid: 10 + i,
    modulename: 'page',
    name: `P${i}`,
    sectionNumber: 1,
    isNewsForum: false,
  }));
  expect(targetIsEmpty({ sections: emptySections, activities }).detail).toMatch(
    /page "P4" in section 1; and 3 more\): restoring/,
  );
});

test("a name holding an HTML tag is refused before any change, as Moodle's wizard would refuse it; a lone '<' passes", () => {
  expect(namesMoodleRestores({ shortname: 'TD & TP Économie 2', fullname: `L1 < L2 "public" l'an` })).toEqual(
    {
      verdict: 'pass',
    },
  );
  const tagged = namesMoodleRestores({ shortname: `L1 <Droit> "public" l'an`, fullname: 'Droit public' });
  expect(tagged.verdict).toBe('refuse');
  expect(tagged.verdict === 'refuse' && tagged.detail).toContain(
    `short name "L1 <Droit> "public" l'an" holds an HTML tag`,
  );
  const both = namesMoodleRestores({ shortname: 'A <b>1</b>', fullname: 'Cours <i>A</i>' });
  expect(both.verdict === 'refuse' && both.detail).toContain(
    'short name "A <b>1</b>" and full name "Cours <i>A</i>" hold HTML tags',
  );
});
