/** The people of a course as its participants page shows them, and the Schema stage's header. */

/** The Schema stage's header, as read. */
export interface SchemaHeader {
  /** Absent when the restorer may not change the course's name and dates. */
  overwriteCourseConfiguration?: boolean;
  keepRolesAndEnrolments: boolean;
  keepGroupsAndGroupings: boolean;
}

export interface UserEnrolment {
  /** The enrolment method: manual, self, cohort, meta... */
  method: string;
  /** The method allows unenrolment and the restorer holds enrol/<method>:unenrol in the course. */
  restorerMayUnenrol: boolean;
}

export interface CourseRole {
  name: string;
  /** Set when an enrolment method manages the role (cohort sync, meta link): it stays with that method. */
  managedByMethod?: string;
}

export interface EnrolledUser {
  id: number;
  fullname: string;
  enrolments: readonly UserEnrolment[];
  roles: readonly CourseRole[];
}
