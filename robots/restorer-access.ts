import type { RestoreSchemaPage, SchemaHeaderValues } from '../pages/restore-schema-page.js';
import { describeLosses, whoTheyAre, type AccessLoss } from './access-loss.js';
import type { HeaderPlan } from './restorer-role.js';

const FIELDS = {
  keepRolesAndEnrolments: { name: 'keep_roles_and_enrolments', label: 'keep current roles and enrolments' },
  keepGroupsAndGroupings: { name: 'keep_groups_and_groupings', label: 'keep current groups and groupings' },
} as const;

/**
 * Sets the Schema stage's "keep current …" fields the plan gives a value to, then reads the header as it
 * will be submitted: the enrolment guard judges what is applied, not what was wanted. `notApplied` names
 * each field the site would not let the robot set (absent, or fixed by the site's locked default).
 */
export async function setSchemaHeader(
  schema: RestoreSchemaPage,
  plan: HeaderPlan,
): Promise<{ offered: SchemaHeaderValues; header: SchemaHeaderValues; notApplied: string[] }> {
  const offered = await schema.header();
  const notApplied: string[] = [];
  for (const key of ['keepRolesAndEnrolments', 'keepGroupsAndGroupings'] as const) {
    const wanted = plan[key];
    if (wanted === 'as-offered') continue;
    if (offered[key] === (wanted ? 1 : 0)) continue;
    if (!(await schema.setKeep(FIELDS[key].name, wanted)))
      notApplied.push(
        `"${FIELDS[key].label}" could not be set to ${wanted ? 'Yes' : 'No'} (the site fixes it)`,
      );
  }
  const header = await schema.header();
  for (const key of ['keepRolesAndEnrolments', 'keepGroupsAndGroupings'] as const) {
    const wanted = plan[key];
    if (
      wanted !== 'as-offered' &&
      header[key] !== (wanted ? 1 : 0) &&
      !notApplied.some((n) => n.includes(FIELDS[key].label))
    )
      notApplied.push(
        `"${FIELDS[key].label}" reads ${String(header[key])} after being set to ${wanted ? 'Yes' : 'No'}`,
      );
  }
  return { offered, header, notApplied };
}

/** The refusal's reason: each person by name, role and method, then who they are, counted as they are. */
export function enrolmentLossRefusal(
  losses: readonly AccessLoss[],
  plan: HeaderPlan,
  when: 'predicted' | 'as applied',
  notApplied: readonly string[] = [],
): string {
  const header =
    plan.keepRolesAndEnrolments === 'as-offered'
      ? when === 'predicted'
        ? 'with the header as the site offers it (Moodle\'s default: "keep current roles and enrolments" No)'
        : 'with the header as the site offers it'
      : `with "keep current roles and enrolments" ${plan.keepRolesAndEnrolments ? 'Yes' : 'No'}`;
  const why = notApplied.length > 0 ? ` (${notApplied.join('; ')})` : '';
  return `the restore would remove other people's enrolments or roles ${header}${why}: ${describeLosses(losses)}; that is ${whoTheyAre(losses)}; --allow-enrolment-loss to restore anyway`;
}

/** What the ledger records beside "restored": anyone who lost access, by name. */
export function lossNote(losses: readonly AccessLoss[] | undefined): string | undefined {
  if (losses === undefined) return 'participants after the restore not compared';
  return losses.length === 0 ? undefined : `lost access: ${describeLosses(losses)}`;
}
