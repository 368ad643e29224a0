/**
 * What Moodle's `format_string` does to a name before showing it or writing it in a file name, with
 * `formatstringstriptags` on (the default of every release): tags are removed as PHP's strip_tags
 * removes them, and a `<` or `>` left over is escaped. The web services return names formatted so, and
 * the robot, which compares names as Moodle stores them, must know what formatting took away.
 */
export function stripTagsAsMoodle(text: string): string {
  // PHP's strip_tags: a tag opens with '<' and a letter, '/', '!' or '?', and runs to the next '>'
  // (to the end when there is none); a '<' before anything else stays.
  return text.replace(/<[a-zA-Z/!?][^>]*(?:>|$)/gu, '');
}

/** Whether a name as a Moodle service lists it (entities decoded) is the stored name `wanted`. */
export function listedAs(listed: string, wanted: string): boolean {
  return listed === wanted || listed === stripTagsAsMoodle(wanted);
}
