import { expect, test } from '@playwright/test';
import { enrolmentImpact } from '../../rules/enrolment-impact.js';
import type { EnrolledUser } from '../../domain/people.js';

const restorer: EnrolledUser = {
  id: 10,
  fullname: 'Rebecca Black',
  enrolments: [{ method: 'manual', restorerMayUnenrol: true }],
  roles: [{ name: 'editingteacher' }],
};
const coTeacher: EnrolledUser = {
  id: 11,
  fullname: 'Jean Dupont',
  enrolments: [{ method: 'manual', restorerMayUnenrol: true }],
  roles: [{ name: 'editingteacher' }],
};
const selfEnrolledStudent: EnrolledUser = {
  id: 12,
  fullname: 'Ada Martin',
  enrolments: [{ method: 'self', restorerMayUnenrol: true }],
  roles: [{ name: 'student' }],
};
const cohortStudentWithHandRole: EnrolledUser = {
  id: 13,
  fullname: 'Léo Petit',
  enrolments: [{ method: 'cohort', restorerMayUnenrol: false }],
  roles: [{ name: 'student', managedByMethod: 'cohort' }, { name: 'teacher' }],
};
const people = [restorer, coTeacher, selfEnrolledStudent, cohortStudentWithHandRole];

test("Moodle's default header (keep roles and enrolments: No): hand and self enrolments go", () => {
  const impact = enrolmentImpact(
    { overwriteCourseConfiguration: false, keepRolesAndEnrolments: false, keepGroupsAndGroupings: false },
    people,
    restorer.id,
  );
  expect(impact.removesEnrolments).toBe(true);
  expect(impact.removesGroups).toBe(true);
  expect(
    impact.users.map((user) => [user.user.fullname, user.outcome, user.lostEnrolments, user.lostRoles]),
  ).toEqual([
    ['Rebecca Black', 'restorer-given-restorer-role', ['manual'], ['editingteacher']],
    ['Jean Dupont', 'loses-access', ['manual'], ['editingteacher']],
    ['Ada Martin', 'loses-access', ['self'], ['student']],
    ['Léo Petit', 'loses-some', [], ['teacher']],
  ]);
  expect(impact.warnings).toEqual([
    'Jean Dupont loses access to the course (enrolment manual removed, role editingteacher removed)',
    'Ada Martin loses access to the course (enrolment self removed, role student removed)',
  ]);
});

test('keep roles and enrolments: Yes leaves everyone as they are', () => {
  const impact = enrolmentImpact(
    { keepRolesAndEnrolments: true, keepGroupsAndGroupings: true },
    people,
    restorer.id,
  );
  expect(impact.removesEnrolments).toBe(false);
  expect(impact.removesGroups).toBe(false);
  expect(impact.users.every((user) => user.outcome === 'unaffected')).toBe(true);
  expect(impact.warnings).toEqual([]);
});

test('a method the restorer may not unenrol from keeps its users and the roles it manages', () => {
  const impact = enrolmentImpact(
    { keepRolesAndEnrolments: false, keepGroupsAndGroupings: true },
    [{ ...cohortStudentWithHandRole, roles: [{ name: 'student', managedByMethod: 'cohort' }] }],
    restorer.id,
  );
  expect(impact.users[0]).toMatchObject({ outcome: 'unaffected', lostEnrolments: [], lostRoles: [] });
});
