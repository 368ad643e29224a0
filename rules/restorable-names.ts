import { stripTagsAsMoodle } from '../domain/moodle-formatting.js';
import type { Verdict } from './verdict.js';

export type RestorableNamesVerdict = Verdict;

/**
 * Moodle's restore wizard keeps the course's short and full names as plain-text settings: a name
 * holding an HTML tag ("L1 <Droit>") fails their check (`error/setting_invalid_text`, at the Settings
 * stage) whoever restores it, by hand or by robot. Known from the names alone, it is refused before
 * anything is changed. A '<' that opens no tag ("a < b") passes, as in Moodle.
 */
export function namesMoodleRestores(course: {
  shortname: string;
  fullname?: string;
}): RestorableNamesVerdict {
  const tagged = [
    ['short name', course.shortname],
    ['full name', course.fullname],
  ].filter(([, name]) => name !== undefined && stripTagsAsMoodle(name) !== name);
  if (tagged.length === 0) return { verdict: 'pass' };
  return {
    verdict: 'refuse',
    detail: `Moodle's restore refuses a course whose ${tagged.map(([what, name]) => `${what} "${name}"`).join(' and ')} ${tagged.length > 1 ? 'hold HTML tags' : 'holds an HTML tag'} (its Settings stage stops with error/setting_invalid_text, by hand as by robot): remove the tag from the name on bleu (and vert), then restore`,
  };
}
