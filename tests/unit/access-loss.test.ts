import { expect, test } from '@playwright/test';
import { PROFILES } from '../../config/profiles/index.js';
import {
  compareParticipants,
  describeLosses,
  predictedLosses,
  whoTheyAre,
} from '../../robots/access-loss.js';
import { enrolmentImpact, type EnrolledUser } from '../../robots/enrolment-impact.js';
import { enrolmentLossRefusal, lossNote } from '../../robots/restorer-access.js';
import { headerPlan, identifyRestorer, predictedHeader } from '../../robots/restorer-role.js';

const manual = { method: 'Manual enrolments', restorerMayUnenrol: true };
const teacher: EnrolledUser = {
  id: 3,
  fullname: 'Alice Martin',
  enrolments: [manual],
  roles: [{ name: 'Teacher' }],
};
const coTeacher: EnrolledUser = {
  id: 4,
  fullname: 'Bruno Petit',
  enrolments: [manual],
  roles: [{ name: 'Teacher' }],
};
const student = (id: number, fullname: string): EnrolledUser => ({
  id,
  fullname,
  enrolments: [manual],
  roles: [{ name: 'Student' }],
});
const profile = PROFILES['cemu-2425'];
if (!profile) throw new Error('no cemu-2425 profile');

test("the course's enrolled teacher keeps the site's header; another account sets keep roles and groups to Yes", () => {
  const asTeacher = identifyRestorer([teacher, coTeacher], teacher.id);
  expect(asTeacher).toEqual({ kind: 'course-teacher', id: 3, roles: ['Teacher'] });
  expect(headerPlan(asTeacher.kind, profile)).toEqual({
    keepRolesAndEnrolments: 'as-offered',
    keepGroupsAndGroupings: 'as-offered',
  });
  const asAdmin = identifyRestorer([teacher, coTeacher], 2);
  expect(asAdmin.kind).toBe('other-account');
  expect(headerPlan(asAdmin.kind, profile)).toEqual({
    keepRolesAndEnrolments: true,
    keepGroupsAndGroupings: true,
  });
});

test("before the Schema stage, the teacher's run is judged on Moodle's default header, the admin's on what it will set", () => {
  const people = [teacher, coTeacher, student(7, 'Emma Moreau')];
  const teacherPlan = headerPlan('course-teacher', profile);
  const predicted = predictedLosses(
    enrolmentImpact(predictedHeader(teacherPlan), people, teacher.id).users,
    people,
    teacher.id,
  );
  expect(describeLosses(predicted)).toBe(
    'Bruno Petit (Teacher; Manual enrolments), Emma Moreau (Student; Manual enrolments)',
  );
  const adminPlan = headerPlan('other-account', profile);
  expect(predictedLosses(enrolmentImpact(predictedHeader(adminPlan), people, 2).users, people, 2)).toEqual(
    [],
  );
  // An admin with the header at No would unenrol every teacher, the course's own included.
  const noKeep = { keepRolesAndEnrolments: false, keepGroupsAndGroupings: false };
  expect(
    predictedLosses(enrolmentImpact(noKeep, people, 2).users, people, 2).map((loss) => loss.user.fullname),
  ).toEqual(['Alice Martin', 'Bruno Petit', 'Emma Moreau']);
});

test('reason texts count people as they are: one teacher is "1 teacher", never "several teachers"', () => {
  const one = predictedLosses(
    enrolmentImpact({ keepRolesAndEnrolments: false, keepGroupsAndGroupings: true }, [teacher, coTeacher], 3)
      .users,
    [teacher, coTeacher],
    3,
  );
  expect(whoTheyAre(one)).toBe('1 teacher (Manual enrolments)');
  const students = [student(7, 'Emma Moreau'), student(8, 'Chloé Durand'), student(9, 'David Leroy')];
  const three = predictedLosses(
    enrolmentImpact({ keepRolesAndEnrolments: false, keepGroupsAndGroupings: true }, students, 3).users,
    students,
    3,
  );
  expect(whoTheyAre(three)).toBe('3 students (Manual enrolments)');
  const reason = enrolmentLossRefusal(one, headerPlan('course-teacher', profile), 'predicted');
  expect(reason).toContain('Bruno Petit (Teacher; Manual enrolments)');
  expect(reason).not.toContain('several');
  const locked = enrolmentLossRefusal(one, headerPlan('other-account', profile), 'as applied', [
    '"keep current roles and enrolments" could not be set to Yes (the site fixes it)',
  ]);
  expect(locked).toContain('could not be set to Yes (the site fixes it)');
});

test('participants after the restore against before: each lost method and role, by name', () => {
  const nonEditing: EnrolledUser = {
    id: 5,
    fullname: 'Léo Petit',
    enrolments: [manual, { method: 'Cohort sync', restorerMayUnenrol: false }],
    roles: [{ name: 'Non-editing teacher' }, { name: 'Student' }],
  };
  const before = [teacher, coTeacher, nonEditing, student(7, 'Emma Moreau')];
  const after: EnrolledUser[] = [
    teacher,
    {
      ...nonEditing,
      enrolments: [{ method: 'Cohort sync', restorerMayUnenrol: false }],
      roles: [{ name: 'Student' }],
    },
    { id: 9, fullname: 'New Person', enrolments: [manual], roles: [{ name: 'Student' }] },
  ];
  const lost = compareParticipants(before, after);
  expect(lost).toEqual([
    {
      user: { id: 4, fullname: 'Bruno Petit' },
      lostAccess: true,
      lostEnrolments: ['Manual enrolments'],
      lostRoles: ['Teacher'],
      rolesBefore: ['Teacher'],
    },
    {
      user: { id: 7, fullname: 'Emma Moreau' },
      lostAccess: true,
      lostEnrolments: ['Manual enrolments'],
      lostRoles: ['Student'],
      rolesBefore: ['Student'],
    },
    {
      user: { id: 5, fullname: 'Léo Petit' },
      lostAccess: false,
      lostEnrolments: ['Manual enrolments'],
      lostRoles: ['Non-editing teacher'],
      rolesBefore: ['Non-editing teacher', 'Student'],
    },
  ]);
  expect(whoTheyAre(lost)).toBe(
    '1 teacher, 1 student and 1 person with the role Non-editing teacher (Manual enrolments)',
  );
  expect(lossNote(lost)).toContain(
    'Léo Petit (Non-editing teacher; Manual enrolments; still enrolled otherwise)',
  );
  expect(lossNote([])).toBeUndefined();
  expect(compareParticipants(before, before)).toEqual([]);
});
