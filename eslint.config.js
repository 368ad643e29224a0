// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      'evidence-runs/',
      'state/',
      'regression/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='waitForTimeout']",
          message: "No fixed sleeps: wait for the page's real signal.",
        },
      ],
    },
  },
  ...layers({
    // The floors, bottom up: each may import only the floors below it (ARCHITECTURE in the README).
    domain: [],
    evidence: ['domain'],
    config: ['domain', 'evidence'],
    rules: ['domain', 'config', 'evidence', 'backup-file'],
    ledger: ['domain', 'config', 'evidence', 'rules', 'backup-file'],
    'backup-file': ['domain'],
    pages: ['domain', 'evidence'],
    robots: ['domain', 'config', 'evidence', 'rules', 'ledger', 'backup-file', 'pages'],
    session: ['domain', 'config', 'evidence', 'rules', 'ledger', 'backup-file', 'pages', 'robots'],
  }),
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);

/**
 * One no-restricted-imports rule per floor: the floors it may not import, and Playwright for the
 * floors that hold no page (rules, the ledger, the backup-file reader, the domain, config).
 * @param {Record<string, string[]>} allowed
 */
function layers(allowed) {
  const floors = [...Object.keys(allowed), 'batch', 'bin', 'harness', 'tests', 'bench'];
  const withoutPages = new Set(['domain', 'config', 'rules', 'ledger', 'backup-file']);
  return Object.entries(allowed).map(([floor, below]) => ({
    files: [`${floor}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...floors
              .filter((other) => other !== floor && !below.includes(other))
              .map((other) => ({
                group: [`../${other}/*`, `../../${other}/*`, `../../../${other}/*`],
                message: `${floor}/ may not import ${other}/: the floors only point down (see ARCHITECTURE in the README).`,
              })),
            ...(withoutPages.has(floor)
              ? [
                  {
                    group: ['playwright', 'playwright/*', '@playwright/*'],
                    message: `${floor}/ holds no page: Playwright belongs to pages/ and robots/.`,
                  },
                ]
              : []),
          ],
        },
      ],
    },
  }));
}
