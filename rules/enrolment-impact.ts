import type { EnrolledUser, SchemaHeader } from '../domain/people.js';

/**
 * What "delete the contents of this course, then restore" does to the people of the vert course,
 * given the Schema stage's header as the site offers it (the seed says not to touch it).
 *
 * Moodle 4.5: with "keep current roles and enrolments" at No (its default), remove_course_contents
 * (lib/moodlelib.php) calls enrol_course_delete (lib/enrollib.php) for the restoring user: every
 * enrolment method that allows unenrolment and that the restorer may unenrol from is deleted with all
 * its enrolled users, and every role given by hand in the course goes (role_unassign_all, component '').
 * restore_fix_restorer_access_step then gives the restorer the `restorernewroleid` role, with a manual
 * enrolment if needed; nobody else gets anything back. With "keep current groups and groupings" at No,
 * every group and grouping of the course is deleted.
 */

export type UserOutcome =
  /** Every enrolment goes: the user no longer reaches the course. */
  | 'loses-access'
  /** Some enrolments or roles go, at least one enrolment stays. */
  | 'loses-some'
  | 'unaffected'
  /** The restorer loses what they had and gets Moodle's restorer role back. */
  | 'restorer-given-restorer-role';

export interface UserImpact {
  user: Pick<EnrolledUser, 'id' | 'fullname'>;
  outcome: UserOutcome;
  lostEnrolments: string[];
  lostRoles: string[];
}

export interface EnrolmentImpact {
  header: SchemaHeader;
  removesEnrolments: boolean;
  removesGroups: boolean;
  users: UserImpact[];
  /** One line per person who loses access, for the log and the guard. */
  warnings: string[];
}

export function enrolmentImpact(
  header: SchemaHeader,
  users: readonly EnrolledUser[],
  restorerId: number,
): EnrolmentImpact {
  const removesEnrolments = !header.keepRolesAndEnrolments;
  const impacts = users.map((user) => impactOn(user, removesEnrolments, user.id === restorerId));
  return {
    header,
    removesEnrolments,
    removesGroups: !header.keepGroupsAndGroupings,
    users: impacts,
    warnings: impacts
      .filter((impact) => impact.outcome === 'loses-access')
      .map(
        (impact) =>
          `${impact.user.fullname} loses access to the course (enrolment ${impact.lostEnrolments.join(', ')} removed${
            impact.lostRoles.length > 0 ? `, role ${impact.lostRoles.join(', ')} removed` : ''
          })`,
      ),
  };
}

function impactOn(user: EnrolledUser, removesEnrolments: boolean, isRestorer: boolean): UserImpact {
  const who = { id: user.id, fullname: user.fullname };
  if (!removesEnrolments) return { user: who, outcome: 'unaffected', lostEnrolments: [], lostRoles: [] };

  const lostEnrolments = user.enrolments.filter((e) => e.restorerMayUnenrol).map((e) => e.method);
  const keptEnrolments = user.enrolments.filter((e) => !e.restorerMayUnenrol);
  const lostMethods = new Set(lostEnrolments);
  const lostRoles = user.roles
    .filter((role) => role.managedByMethod === undefined || lostMethods.has(role.managedByMethod))
    .map((role) => role.name);

  let outcome: UserOutcome;
  if (lostEnrolments.length === 0 && lostRoles.length === 0) outcome = 'unaffected';
  else if (keptEnrolments.length > 0) outcome = 'loses-some';
  else outcome = isRestorer ? 'restorer-given-restorer-role' : 'loses-access';
  return { user: who, outcome, lostEnrolments, lostRoles };
}
