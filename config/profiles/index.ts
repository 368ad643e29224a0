import type { SettingsProfile } from '../profile.js';
import cemu2425 from './cemu-2425.js';

/** Every settings profile SETTINGS_PROFILE may name. */
export const PROFILES: Readonly<Record<string, SettingsProfile>> = {
  [cemu2425.id]: cemu2425,
};
