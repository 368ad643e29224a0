/**
 * The names of a participant's roles, from what the participants page shows. No one source names every
 * role: the role editor's options list only the roles the viewer may assign (a teacher may not give
 * "Teacher"); the cell's text names only the roles the viewer may see, in the order of the cell's ids;
 * the page's roles filter names every role viewable or assignable in the course (as "Alias (Original)"
 * where the course renames one). A role's number is said only when none of them names it.
 */
export interface RoleNameSources {
  /** The role editor's options, by role id. */
  assignable: ReadonlyMap<string, string>;
  /** The roles filter's options (`select[data-field-name="roles"]`), by role id. */
  filter: ReadonlyMap<string, string>;
  /** The cell's text, split at its commas. */
  shown: readonly string[];
}

/** What the cell says when it names no role (Moodle's noroles and novisibleroles, in English and French). */
const NO_ROLE = ['No roles', 'No visible roles', 'Aucun rôle', 'Aucun rôle visible'];

export function roleNames(roleIds: readonly (string | number)[], sources: RoleNameSources): string[] {
  const ids = roleIds.map(String);
  const { assignable, filter } = sources;
  // The filter's "-1" is the page's own words for "No roles".
  const noRole = new Set([...NO_ROLE, ...(filter.has('-1') ? [filter.get('-1')] : [])]);
  const shown = sources.shown.filter((name) => !noRole.has(name));
  const names: (string | undefined)[] = ids.map((id) => assignable.get(id));
  // The cell names every role in order: its text is the name the page shows.
  if (shown.length === ids.length) ids.forEach((_, index) => (names[index] ??= shown[index]));
  ids.forEach((id, index) => (names[index] ??= id === '-1' ? undefined : filter.get(id)));
  // The cell names fewer roles (some not viewable) but exactly the ones still unnamed: in order.
  const unnamed = ids.flatMap((_, index) => (names[index] === undefined ? [index] : []));
  const unused = shown.filter((name) => !names.includes(name));
  if (unnamed.length > 0 && unused.length === unnamed.length)
    unnamed.forEach((index, order) => (names[index] = unused[order]));
  return ids.map((id, index) => names[index] ?? `role ${id}`);
}
