/** Sections as a person counts them: Moodle's section 0 is the course's general section, not a numbered one. */
export function sectionsCounted(withGeneral: number): string {
  if (withGeneral <= 0) return 'no section';
  const numbered = withGeneral - 1;
  if (numbered === 0) return 'the general section only';
  return `${numbered} section${numbered === 1 ? '' : 's'} plus the general section`;
}
