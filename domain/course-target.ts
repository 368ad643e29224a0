/** A vert course as the admin names it: by id or by short name. */
export type CourseTarget = { kind: 'id'; id: number } | { kind: 'shortname'; shortname: string };

const MAX_SHORTNAME_LENGTH = 255;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/u;

/**
 * A course named on the command line or in a batch list; a string says why it is no course. Course 1
 * is Moodle's site front page, never a course to restore over.
 */
export function parseCourseTarget(value: string): CourseTarget | string {
  if (/^\d+$/.test(value)) {
    const id = Number(value);
    return Number.isSafeInteger(id) && id > 1
      ? { kind: 'id', id }
      : `"${value}" is not a course id (1 is the site front page)`;
  }
  return isValidShortname(value)
    ? { kind: 'shortname', shortname: value }
    : `"${value}" is not a valid course short name`;
}

export function isValidShortname(value: string): boolean {
  return value.length <= MAX_SHORTNAME_LENGTH && !CONTROL_CHARACTERS.test(value);
}
