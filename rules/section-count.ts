import type { ReportLanguage } from '../config/env.js';

/** Sections as a person counts them: Moodle's section 0 is the course's general section, not a numbered one. */
export function sectionsCounted(withGeneral: number, language: ReportLanguage = 'en'): string {
  const numbered = withGeneral - 1;
  if (language === 'fr') {
    if (withGeneral <= 0) return 'aucune section';
    if (numbered === 0) return 'la section générale seule';
    return `${numbered} section${numbered === 1 ? '' : 's'} plus la section générale`;
  }
  if (withGeneral <= 0) return 'no section';
  if (numbered === 0) return 'the general section only';
  return `${numbered} section${numbered === 1 ? '' : 's'} plus the general section`;
}
