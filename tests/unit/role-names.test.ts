import { expect, test } from '@playwright/test';
import { roleNames } from '../../pages/role-names.js';

const none = new Map<string, string>();
const filter = new Map([
  ['-1', 'No roles'],
  ['3', 'Teacher'],
  ['4', 'Non-editing teacher'],
  ['5', 'Student'],
  ['9', 'Tutor (Teacher)'],
]);

test("a teacher's view: the editor lacks Teacher, the cell's text names it", () => {
  const assignable = new Map([
    ['4', 'Non-editing teacher'],
    ['5', 'Student'],
  ]);
  expect(roleNames([3, 5], { assignable, filter: none, shown: ['Teacher', 'Student'] })).toEqual([
    'Teacher',
    'Student',
  ]);
});

test('a role the cell does not show (not viewable) is named by the roles filter, not by its number', () => {
  // The cell shows one name for two ids: before, the number was all that was said ("role 3").
  expect(roleNames([3, 5], { assignable: none, filter, shown: ['Student'] })).toEqual(['Teacher', 'Student']);
  expect(roleNames(['9'], { assignable: none, filter, shown: [] })).toEqual(['Tutor (Teacher)']);
});

test("without the filter, the cell's names left over go to the roles still unnamed, in order", () => {
  const assignable = new Map([['5', 'Student']]);
  expect(
    roleNames([3, 5, 7], { assignable, filter: none, shown: ['Teacher', 'Student', 'Mentor', 'x'] }),
  ).toEqual(['role 3', 'Student', 'role 7']);
  expect(roleNames([3, 5, 7], { assignable, filter: none, shown: ['Teacher', 'Mentor'] })).toEqual([
    'Teacher',
    'Student',
    'Mentor',
  ]);
});

test('the number only when nothing on the page names the role', () => {
  expect(roleNames([12], { assignable: none, filter: none, shown: ['No visible roles'] })).toEqual([
    'role 12',
  ]);
  const french = new Map([['-1', 'Sans rôle']]);
  expect(roleNames([12], { assignable: none, filter: french, shown: ['Sans rôle'] })).toEqual(['role 12']);
  expect(roleNames([], { assignable: none, filter, shown: ['No roles'] })).toEqual([]);
});
