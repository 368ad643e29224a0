import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scratchDir } from '../../helpers/scratch-dir.js';

/** What Debian's fonts-dejavu-core installs: the only fonts of a fresh machine set up by scripts/. */
const DEJAVU_CORE = '/usr/share/fonts/truetype/dejavu';
const CORE_FILES = [
  'DejaVuSans',
  'DejaVuSans-Bold',
  'DejaVuSansMono',
  'DejaVuSansMono-Bold',
  'DejaVuSerif',
  'DejaVuSerif-Bold',
];

/** A fontconfig file that shows Chromium only a fresh machine's fonts, whatever else is installed. */
export function freshMachineFontconfig(): string {
  const missing = CORE_FILES.filter((name) => !existsSync(path.join(DEJAVU_CORE, `${name}.ttf`)));
  if (missing.length > 0) {
    throw new Error(
      `fonts-dejavu-core is not installed (missing ${missing.join(', ')}): run scripts/install-system-packages.sh`,
    );
  }
  const dir = scratchDir('ecampus-fonts');
  mkdirSync(path.join(dir, 'cache'));
  const accepted = CORE_FILES.map((name) => `      <glob>${DEJAVU_CORE}/${name}.ttf</glob>`).join('\n');
  writeFileSync(
    path.join(dir, 'fonts.conf'),
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${DEJAVU_CORE}</dir>
  <cachedir>${path.join(dir, 'cache')}</cachedir>
  <selectfont>
    <rejectfont><glob>*</glob></rejectfont>
    <acceptfont>
${accepted}
    </acceptfont>
  </selectfont>
  <include ignore_missing="yes">/etc/fonts/conf.d</include>
</fontconfig>
`,
  );
  return path.join(dir, 'fonts.conf');
}
