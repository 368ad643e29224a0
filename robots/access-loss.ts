import type { EnrolledUser, UserImpact } from './enrolment-impact.js';

/**
 * Who lost (or would lose) an enrolment or a role in the course, by name: each person, their roles by
 * name, and the enrolment methods. What the console line, outcome.json, the ledger and the summaries say.
 */
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

/**
 * What the participants page showed after the restore, against before: every enrolment method and
 * role someone had and no longer has. People who were not there before are not losses; the restorer
 * is left out when it gained what it lost (Moodle's restorer role).
 */
export function compareParticipants(
  before: readonly EnrolledUser[],
  after: readonly EnrolledUser[],
): AccessLoss[] {
  const now = new Map(after.map((user) => [user.id, user]));
  return byName(before).flatMap((user): AccessLoss[] => {
    const later = now.get(user.id);
    const methodsLater = new Set(later?.enrolments.map((enrolment) => enrolment.method) ?? []);
    const rolesLater = new Set(later?.roles.map((role) => role.name) ?? []);
    const lostEnrolments = unique(user.enrolments.map((e) => e.method).filter((m) => !methodsLater.has(m)));
    const lostRoles = unique(user.roles.map((r) => r.name).filter((name) => !rolesLater.has(name)));
    if (lostEnrolments.length === 0 && lostRoles.length === 0) return [];
    return [
      {
        user: { id: user.id, fullname: user.fullname },
        lostAccess: later === undefined || later.enrolments.length === 0,
        lostEnrolments,
        lostRoles,
        rolesBefore: unique(user.roles.map((role) => role.name)),
      },
    ];
  });
}

/** The guard's prediction as losses, for the people other than the restorer. */
export function predictedLosses(
  impacts: readonly UserImpact[],
  users: readonly EnrolledUser[],
  restorerId: number,
): AccessLoss[] {
  const byId = new Map(users.map((user) => [user.id, user]));
  return byName(impacts.map((impact) => ({ ...impact, fullname: impact.user.fullname })))
    .filter((impact) => impact.user.id !== restorerId && impact.outcome !== 'unaffected')
    .map((impact) => ({
      user: impact.user,
      lostAccess: impact.outcome === 'loses-access',
      lostEnrolments: impact.lostEnrolments,
      lostRoles: impact.lostRoles,
      rolesBefore: unique(byId.get(impact.user.id)?.roles.map((role) => role.name) ?? []),
    }));
}

/** "Bruno Petit (Teacher; Manual enrolments)": one person, their role(s) by name, the method(s). */
export function describeLoss(loss: AccessLoss): string {
  const roles = (loss.lostRoles.length > 0 ? loss.lostRoles : loss.rolesBefore).join(', ') || 'no role';
  const methods = loss.lostEnrolments.join(', ') || 'enrolment kept';
  return `${loss.user.fullname} (${roles}; ${methods}${loss.lostAccess ? '' : '; still enrolled otherwise'})`;
}

export function describeLosses(losses: readonly AccessLoss[]): string {
  return losses.map(describeLoss).join(', ');
}

/**
 * Who they are, counted as they are, and how they were enrolled: "1 teacher and 3 students (Manual
 * enrolments)", "1 person with the role Non-editing teacher (Self enrolment)". Each person is counted
 * once, by the first role they had.
 */
export function whoTheyAre(losses: readonly AccessLoss[]): string {
  const counts = new Map<string, number>();
  for (const loss of losses) {
    const role = loss.rolesBefore[0] ?? loss.lostRoles[0] ?? 'no role';
    counts.set(role, (counts.get(role) ?? 0) + 1);
  }
  const parts = [...counts].map(([role, n]) => {
    const word = role.toLowerCase();
    if (/^\p{L}+$/u.test(word)) return `${n} ${word}${n === 1 ? '' : 's'}`;
    return `${n} ${n === 1 ? 'person' : 'people'} with the role ${role}`;
  });
  const people =
    parts.length <= 1 ? (parts[0] ?? 'nobody') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`;
  const methods = unique(losses.flatMap((loss) => loss.lostEnrolments));
  return methods.length === 0 ? people : `${people} (${methods.join(', ')})`;
}

/** People in the order of their names, whatever order a page listed them in. */
function byName<T extends { fullname: string }>(people: readonly T[]): T[] {
  return [...people].sort((a, b) => a.fullname.localeCompare(b.fullname));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
