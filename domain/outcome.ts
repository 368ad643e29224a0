/** What one course's restore ended as, and the facts it carries. */

export interface CourseToRestore {
  /** The vert course id. */
  courseId: number;
  /** Bleu's short name when it differs from vert's. */
  bleuShortname?: string;
}

export interface RestoreVerification {
  matches: boolean;
  differences: string[];
  /** Sections counted as Moodle stores them: the general section (section 0) included. */
  counts: {
    backupSections: number;
    restoredSections: number;
    backupActivities: number;
    restoredActivities: number;
  };
}

export interface AccessLoss {
  user: { id: number; fullname: string };
  /** The person is no longer enrolled in the course at all. */
  lostAccess: boolean;
  /** Enrolment methods removed, by their instance names ("Manual enrolments"). */
  lostEnrolments: string[];
  /** Roles removed, by name. */
  lostRoles: string[];
  /** The roles the person had before, by name (what they were in the course). */
  rolesBefore: string[];
}

export interface ClaimedElsewhere {
  status: 'claimed-elsewhere';
  courseId: number;
  runId: string;
  /** `pid@host` of the process restoring it. */
  holder: string;
  since: string;
  step: string;
  /** "being restored by run … (process …)", as the summary's reason. */
  reason: string;
}

export type RestoreOutcome =
  | {
      status: 'restored';
      courseId: number;
      shortname: string;
      backupFile: string;
      verification: RestoreVerification;
      /** Everyone who lost an enrolment or a role, participants before and after compared. */
      accessLost?: AccessLoss[];
      /** What the robot could not clean up (its fetched backup still in the private area…). */
      leftBehind?: string[];
    }
  | { status: 'dry-run'; courseId: number; shortname: string; backupFile: string; leftBehind?: string[] }
  /** The ledger says a previous run restored it: nothing was read or changed (a rerun's "skip"). */
  | {
      status: 'already-restored';
      courseId: number;
      restoredAt: string;
      backupFile: string;
      evidencePath: string;
    }
  /** Another run's live process holds the course: left to it (counted apart, not a failure). */
  | ClaimedElsewhere
  | { status: 'refused'; courseId: number; step: string; reason: string; leftBehind?: string[] }
  | {
      status: 'failed';
      courseId: number;
      step: string;
      reason: string;
      courseEmptied: boolean;
      /** Past Perform: everyone who lost an enrolment or a role, as for a restore. */
      accessLost?: AccessLoss[];
      leftBehind?: string[];
    };
