import { parseArgs } from 'node:util';
import { importLangpackFromGit } from './langpacks.js';
import { findTree, howToProvideTree, importTreeFromGit } from './moodle-tree.js';
import { MOODLE_VERSIONS, type MoodleVersion } from './paths.js';
import { startDatabaseServer } from './database.js';
import { STANDARD_THEMES, isStandardTheme, setVertTheme } from './vert-appearance.js';
import { KNOWN_INSTALL_GAPS, describeCompletion } from './tree-completion.js';
import { down, nightly, recordImportedTree, reset, serveVertFrom, status, up } from './harness.js';

const USAGE = `Usage: npm run harness -- <command> [--version 4.4|4.5|5.0|5.1]

  up                 install (first time) and start bleu + vert, with cron; a second up reuses them
  reset              both sites back to their seeded state (seconds)
  nightly            bleu's automated backups, as its night would make them
  down               stop web servers and cron
  status [--json]    URLs, demo accounts, course ids, code folders and dataroots
  tree               where the Moodle code tree is (exit 3 when there is none)
  database           start the PostgreSQL cluster only (the PostgreSQL ledger's unit tests need it)
  theme boost|classic
                     vert's site theme (Moodle's two standard ones), caches purged; reset brings
                     back Boost
  serve-from <bleu-version>
                     this release's vert fetches from the bleu of another release (both must be
                     up); reset undoes it
  import-langpack <git-dir> [fr] [--ref REF]
                     export a language pack (folder <code>/ of a git directory) into the cache; the
                     next up installs it on both sites
  import-tree <git-dir> [--ref COMMIT] [--subdir FOLDER] [--complete-from RELEASE]
                     export a Moodle git directory's tree (at a commit, of a folder inside the
                     repository) into the cache folder, skipping blobs it lacks; --complete-from
                     copies the folders such uploads are known to lose (${KNOWN_INSTALL_GAPS.join(', ')})
                     from that release's tree, lists every file taken, and status shows it

The release comes from --version, else MOODLE_VERSION, else 4.5. Code trees: MOODLE_DIR_<4_5>,
MOODLE_DIR (4.5), or ~/.cache/ecampus-restore/moodle-<version>.`;

function chosenVersion(flag: string | undefined): MoodleVersion {
  const value = flag ?? process.env['MOODLE_VERSION'] ?? '4.5';
  if (!(MOODLE_VERSIONS as readonly string[]).includes(value)) {
    throw new Error(`MOODLE_VERSION must be one of ${MOODLE_VERSIONS.join(', ')} (got "${value}")`);
  }
  return value as MoodleVersion;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      version: { type: 'string' },
      json: { type: 'boolean', default: false },
      ref: { type: 'string', default: 'HEAD' },
      subdir: { type: 'string' },
      'complete-from': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const version = chosenVersion(values.version);
  switch (command) {
    case 'up':
      await up(version);
      printStatus(version, false);
      return 0;
    case 'reset':
      await reset(version);
      return 0;
    case 'nightly':
      await nightly(version);
      return 0;
    case 'down':
      down(version);
      return 0;
    case 'tree': {
      const tree = findTree(version);
      if (!tree) {
        console.error(howToProvideTree(version));
        return 3;
      }
      console.log(`Moodle ${tree.release} at ${tree.dir}`);
      return 0;
    }
    case 'status':
      printStatus(version, values.json);
      return 0;
    case 'database':
      console.log(`harness: PostgreSQL listening on port ${await startDatabaseServer()}`);
      return 0;
    case 'theme': {
      const theme = rest[0] ?? '';
      if (!isStandardTheme(theme))
        throw new Error(`theme needs ${STANDARD_THEMES.join(' or ')}, e.g. theme classic --version 5.0`);
      await setVertTheme(version, theme);
      console.log(`harness: vert of ${version} now shows the ${theme} theme`);
      return 0;
    }
    case 'serve-from': {
      if (!rest[0]) throw new Error('serve-from needs the bleu release, e.g. serve-from 4.5 --version 5.0');
      const bleuVersion = chosenVersion(rest[0]);
      await serveVertFrom(version, bleuVersion);
      return 0;
    }
    case 'import-langpack': {
      const [gitDir, code = 'fr'] = rest;
      if (!gitDir) throw new Error('import-langpack needs the language-pack git directory');
      console.log(
        `harness: language pack ${code} exported to ${await importLangpackFromGit(gitDir, code, values.ref)}`,
      );
      return 0;
    }
    case 'import-tree': {
      const gitDir = rest[0];
      if (!gitDir) throw new Error('import-tree needs the git directory to export');
      const completeFrom =
        values['complete-from'] === undefined ? undefined : chosenVersion(values['complete-from']);
      const { tree, skipped, completion } = await importTreeFromGit(gitDir, version, {
        ref: values.ref,
        ...(values.subdir ? { subdir: values.subdir } : {}),
        ...(completeFrom ? { completeFrom } : {}),
      });
      recordImportedTree(version, tree.dir);
      console.log(`harness: Moodle ${tree.release} exported to ${tree.dir}`);
      if (skipped.length > 0)
        console.log(
          `harness: skipped ${skipped.length} file(s) the git directory lacks: ${skipped.join(', ')}`,
        );
      if (completion) {
        console.log(`harness: completed from Moodle ${completion.fromRelease} (${completion.fromDir}):`);
        for (const taken of completion.files) console.log(`  ${taken.file} <- ${taken.from}`);
        for (const line of describeCompletion(completion)) console.log(`harness: ${line}`);
      }
      return 0;
    }
    default:
      console.error(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

function printStatus(version: MoodleVersion, json: boolean): void {
  const current = status(version);
  if (json) {
    console.log(JSON.stringify(current, null, 2));
    return;
  }
  console.log(
    `Moodle ${current.release ?? '(not installed)'}; restores ${current.asyncRestore ? 'asynchronous' : 'synchronous'}`,
  );
  const completion = current.tree.completion;
  if (completion) {
    console.log(
      `  tree ${current.tree.dir} completed with ${completion.files.length} file(s) from another release (every file: status --json):`,
    );
    for (const line of describeCompletion(completion)) console.log(`    ${line}`);
  }
  for (const [role, site] of Object.entries(current.sites)) {
    console.log(
      `  ${role}: ${site.url} ${site.up ? 'up' : 'down'}${site.cron ? ', cron running' : ''}; courses: ${Object.keys(site.courses).join(', ') || 'none'}`,
    );
  }
  console.log(
    `  accounts: ${current.accounts.map((account) => `${account.username} (${account.role})`).join(', ')}`,
  );
  console.log('  passwords: npm run harness -- status --json');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`harness: ${(error as Error).message}`);
    process.exit(1);
  },
);
