/**
 * What a person sees of the backup block on vert: its title and its link's text. The seed says
 * 'Cliquer sur "télécharger la sauvegarde 24/25"'; the English interface of our block says
 * "Download the 24/25 backup". The seed names no block title: by default the block is whichever one
 * shows the link.
 */
export interface BackupBlockTexts {
  /** Titles the block may show (any of them); empty: the block is the one that shows the link. */
  titles: readonly string[];
  /** Texts the link may show (any of them), with the year label filled in. */
  linkTexts: readonly string[];
}

/** `{year}` in a configured text stands for YEAR_LABEL. */
export const YEAR_PLACEHOLDER = '{year}';

export const DEFAULT_LINK_TEXTS = [
  `Télécharger la sauvegarde ${YEAR_PLACEHOLDER}`,
  `Download the ${YEAR_PLACEHOLDER} backup`,
] as const;

/** A `|`-separated list from the environment, each entry trimmed, empty entries dropped. */
function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split('|')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

export function backupBlockTexts(
  yearLabel: string,
  titles: string | undefined,
  linkTexts: string | undefined,
): BackupBlockTexts {
  const links = listOf(linkTexts);
  return {
    titles: listOf(titles),
    linkTexts: (links.length > 0 ? links : DEFAULT_LINK_TEXTS).map((text) =>
      text.replaceAll(YEAR_PLACEHOLDER, yearLabel),
    ),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Matches a name that shows any of the texts, whatever its case and spacing (an accessible name is
 * whitespace-normalised; the seed writes "télécharger" where the link says "Télécharger").
 */
export function anyOfTexts(texts: readonly string[], whole: boolean): RegExp {
  const alternatives = texts.map((text) => escapeRegExp(text.trim()).replace(/\s+/g, '\\s+')).join('|');
  return new RegExp(whole ? `^\\s*(?:${alternatives})\\s*$` : `(?:${alternatives})`, 'i');
}
