/**
 * One CSV cell, safe to open in a spreadsheet: a text that starts with =, +, -, @, a tab or a carriage
 * return would be read as a formula, so it gets a leading apostrophe (OWASP, "CSV Injection"); a cell
 * holding a separator (`,` or, for French spreadsheets, `;`), a quote or a line break is quoted.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  const text = neutraliseFormula(value === null || value === undefined ? '' : String(value));
  return /[",;\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The text a neutralised cell stood for: what `neutraliseFormula` wrote, read back. */
export function restoreNeutralised(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return values.map(csvCell).join(',');
}
