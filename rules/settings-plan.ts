import type { ObservedSetting, SettingValue } from '../domain/restore-settings.js';
import { type ProfileEntry, type SettingsProfile } from '../config/profile.js';
import { ENROLMENTS, USER_DEPENDENT_SETTINGS, type RootSettingName } from '../domain/restore-settings.js';

export type PlanOutcome =
  | 'change'
  | 'already-as-desired'
  | 'locked-as-desired'
  /** Locked off by Moodle because users are excluded: what the seed's settings lead to, not a deviation. */
  | 'locked-as-expected'
  | 'locked-otherwise'
  | 'option-unavailable'
  | 'absent';

export interface PlannedSetting {
  setting: RootSettingName;
  desired: SettingValue;
  required: boolean;
  observed: ObservedSetting;
  outcome: PlanOutcome;
  /** The value the form will hold once the plan is applied. */
  resulting: SettingValue | undefined;
  /** A required entry the form cannot honour: the run must stop before Perform. */
  blocking: boolean;
}

/**
 * Compares the profile with what the settings form offers and decides, per entry, what to do.
 * "users" is planned first: what it ends up as decides what its dependent settings can be.
 */
export function planSettings(
  profile: SettingsProfile,
  observe: (setting: RootSettingName) => ObservedSetting,
): PlannedSetting[] {
  const usersEntry = profile.root.find((entry) => entry.setting === 'users');
  const usersPlan = usersEntry ? planEntry(usersEntry, observe('users'), true) : undefined;
  const usersIncluded = usersPlan?.resulting !== undefined && isIncluded(usersPlan.resulting);
  return profile.root.map((entry) =>
    entry.setting === 'users' && usersPlan
      ? usersPlan
      : planEntry(entry, observe(entry.setting), usersIncluded),
  );
}

function planEntry(entry: ProfileEntry, observed: ObservedSetting, usersIncluded: boolean): PlannedSetting {
  // "Yes, but only if users are included" without users means no enrolment methods: the same as "No".
  const desired =
    entry.setting === 'enrolments' && entry.desired === ENROLMENTS.withUsers && !usersIncluded
      ? ENROLMENTS.never
      : entry.desired;
  const base = { setting: entry.setting, desired: entry.desired, required: entry.required, observed };
  switch (observed.state) {
    case 'absent': {
      // A setting the backup does not offer restores nothing: harmless when we wanted it off.
      const harmless = !isIncluded(desired);
      return { ...base, outcome: 'absent', resulting: undefined, blocking: entry.required && !harmless };
    }
    case 'locked': {
      const agrees = sameValue(observed.value, desired);
      const lockedOffWithoutUsers =
        !usersIncluded && USER_DEPENDENT_SETTINGS.includes(entry.setting) && !isIncluded(observed.value);
      return {
        ...base,
        outcome: agrees
          ? 'locked-as-desired'
          : lockedOffWithoutUsers
            ? 'locked-as-expected'
            : 'locked-otherwise',
        resulting: observed.value,
        blocking: entry.required && !agrees && !lockedOffWithoutUsers,
      };
    }
    case 'editable': {
      if (sameValue(observed.value, desired)) {
        return { ...base, outcome: 'already-as-desired', resulting: observed.value, blocking: false };
      }
      const offered =
        typeof desired === 'boolean' || observed.options === undefined
          ? true
          : observed.options.includes(desired);
      if (!offered) {
        return {
          ...base,
          outcome: 'option-unavailable',
          resulting: observed.value,
          blocking: entry.required,
        };
      }
      return { ...base, outcome: 'change', resulting: desired, blocking: false };
    }
  }
}

function isIncluded(value: SettingValue): boolean {
  return typeof value === 'boolean' ? value : value !== 0;
}

function sameValue(actual: SettingValue, desired: SettingValue): boolean {
  return typeof desired === 'boolean' ? isIncluded(actual) === desired : actual === desired;
}

export function blockingReasons(plan: readonly PlannedSetting[]): string[] {
  return plan
    .filter((item) => item.blocking)
    .map((item) => {
      const desired = String(item.desired);
      switch (item.outcome) {
        case 'absent':
          return `setting "${item.setting}" is required to be ${desired} but the backup does not offer it`;
        case 'option-unavailable':
          return `setting "${item.setting}" is required to be ${desired} but the form does not offer that value`;
        default:
          return `setting "${item.setting}" is required to be ${desired} but is locked at ${String(item.resulting)}`;
      }
    });
}

/** Entries that end up otherwise than the profile says, for reasons the seed does not explain. */
export function deviations(plan: readonly PlannedSetting[]): PlannedSetting[] {
  return plan.filter(
    (item) =>
      item.outcome === 'locked-otherwise' ||
      item.outcome === 'option-unavailable' ||
      (item.outcome === 'absent' && isIncluded(item.desired)),
  );
}

/** The Destination stage's "restore into this course" radios, as the page shows them. */
export interface ObservedDestination {
  /** `target` values offered (0 delete then restore, 1 merge); a teacher without the right lacks some. */
  offered: readonly number[];
}

export type DestinationPlan =
  | { target: number; outcome: 'select'; blocking: false }
  | { target: number; outcome: 'unavailable'; blocking: true; reason: string };

export function planDestination(profile: SettingsProfile, observed: ObservedDestination): DestinationPlan {
  const target = profile.destination.target;
  if (observed.offered.includes(target)) return { target, outcome: 'select', blocking: false };
  return {
    target,
    outcome: 'unavailable',
    blocking: true,
    reason: `the destination stage does not offer target ${target} (${profile.destination.note}); it offers ${observed.offered.join(', ') || 'nothing'}`,
  };
}
