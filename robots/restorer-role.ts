import type { SettingsProfile } from '../config/profile.js';
import type { EnrolledUser, SchemaHeader } from './enrolment-impact.js';

/**
 * Who runs the restore. The seed is written for the course's own teacher: enrolled in the course,
 * restoring it with the header as the site offers it. Anyone else (a site admin, a category manager,
 * a support account) is not enrolled in the course and may unenrol everyone, teachers included.
 */
export type RestorerKind =
  /** Enrolled in the course with a role: the course's teacher, as the seed expects. */
  | 'course-teacher'
  /** Not enrolled in the course (admin, manager, support): reaches it through a site or category role. */
  | 'other-account';

export interface Restorer {
  kind: RestorerKind;
  id: number;
  /** The restorer's roles in the course (none for another account). */
  roles: string[];
}

export function identifyRestorer(users: readonly EnrolledUser[], restorerId: number): Restorer {
  const self = users.find((user) => user.id === restorerId);
  const enrolled = self !== undefined && self.enrolments.length > 0 && self.roles.length > 0;
  return {
    kind: enrolled ? 'course-teacher' : 'other-account',
    id: restorerId,
    roles: self?.roles.map((role) => role.name) ?? [],
  };
}

/** A "keep" field of the Schema stage's header: the value the robot sets, or the site's left alone. */
export type HeaderChoice = boolean | 'as-offered';

export interface HeaderPlan {
  keepRolesAndEnrolments: HeaderChoice;
  keepGroupsAndGroupings: HeaderChoice;
}

/** What the robot does to the Schema stage's header for this restorer, from the profile. */
export function headerPlan(kind: RestorerKind, profile: SettingsProfile): HeaderPlan {
  if (kind === 'course-teacher')
    return { keepRolesAndEnrolments: 'as-offered', keepGroupsAndGroupings: 'as-offered' };
  const { keepRolesAndEnrolments, keepGroupsAndGroupings } = profile.schemaHeader.otherAccount;
  return { keepRolesAndEnrolments, keepGroupsAndGroupings };
}

/**
 * The header the enrolment guard assumes before the Schema stage is reached (before the block is added):
 * what the robot will set, and where it leaves the site's choice, Moodle's default ("No": the restore
 * removes enrolments and groups). A site whose default is "Yes" is then refused early where it need
 * not be: a refusal that changes nothing, never a loss.
 */
export function predictedHeader(plan: HeaderPlan): SchemaHeader {
  const or = (choice: HeaderChoice) => (choice === 'as-offered' ? false : choice);
  return {
    keepRolesAndEnrolments: or(plan.keepRolesAndEnrolments),
    keepGroupsAndGroupings: or(plan.keepGroupsAndGroupings),
  };
}
