import type { ProfileEntry, RootSettingName, SettingsProfile } from '../config/profile.js';

export type SettingValue = boolean | number;

/** What the "Settings" stage shows for one root setting. */
export type ObservedSetting =
  | { state: 'absent' }
  | { state: 'editable'; value: SettingValue; options?: readonly number[] }
  | { state: 'locked'; value: SettingValue };

export type PlanOutcome =
  | 'change'
  | 'already-as-desired'
  | 'locked-as-desired'
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

/** Compares the profile with what the settings form offers and decides, per entry, what to do. */
export function planSettings(
  profile: SettingsProfile,
  observe: (setting: RootSettingName) => ObservedSetting,
): PlannedSetting[] {
  return profile.root.map((entry) => planEntry(entry, observe(entry.setting)));
}

function planEntry(entry: ProfileEntry, observed: ObservedSetting): PlannedSetting {
  const base = { setting: entry.setting, desired: entry.desired, required: entry.required, observed };
  switch (observed.state) {
    case 'absent': {
      // A setting the backup does not offer restores nothing: harmless when we wanted it off.
      const harmless = !isIncluded(entry.desired);
      return { ...base, outcome: 'absent', resulting: undefined, blocking: entry.required && !harmless };
    }
    case 'locked': {
      const agrees = sameValue(observed.value, entry.desired);
      return {
        ...base,
        outcome: agrees ? 'locked-as-desired' : 'locked-otherwise',
        resulting: observed.value,
        blocking: entry.required && !agrees,
      };
    }
    case 'editable': {
      if (sameValue(observed.value, entry.desired)) {
        return { ...base, outcome: 'already-as-desired', resulting: observed.value, blocking: false };
      }
      const offered =
        typeof entry.desired === 'boolean' || observed.options === undefined
          ? true
          : observed.options.includes(entry.desired);
      if (!offered) {
        return {
          ...base,
          outcome: 'option-unavailable',
          resulting: observed.value,
          blocking: entry.required,
        };
      }
      return { ...base, outcome: 'change', resulting: entry.desired, blocking: false };
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
