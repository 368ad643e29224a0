import { expect, test } from '@playwright/test';
import { anyOfTexts } from '../../domain/block-texts.js';
import { decodeHtmlEntities } from '../../pages/moodle-text.js';
import { listedAs, stripTagsAsMoodle } from '../../domain/moodle-formatting.js';
import { shortnameFieldValue } from '../../pages/course-services.js';
import { privateBackupNamesIn } from '../../pages/restore-file-page.js';

test('names the web services escaped are compared as Moodle stores them', () => {
  expect(decodeHtmlEntities('TD &amp; TP Économie 2')).toBe('TD & TP Économie 2');
  expect(decodeHtmlEntities('&lt;L1&gt; &quot;Droit&quot; l&#039;an &#39;1&#x27;')).toBe(
    `<L1> "Droit" l'an '1'`,
  );
  expect(decodeHtmlEntities('Th&eacute;&acirc;tre &OElig;uvres &nbsp;')).toBe('Théâtre Œuvres \u00a0');
  // Not references: left as they are.
  expect(decodeHtmlEntities('R&D & co &unknown; &#0;')).toBe('R&D & co &unknown; &#0;');
});

test('a text shown is matched whatever its case and spacing, and only as a whole when asked', () => {
  const link = anyOfTexts(['Télécharger la sauvegarde 24/25', 'Download the 24/25 backup'], false);
  expect(link.test('télécharger  la sauvegarde 24/25')).toBe(true);
  expect(link.test('Download the 24/25 backup (opens in a new window)')).toBe(true);
  expect(link.test('Download the 23/24 backup')).toBe(false);
  const title = anyOfTexts(['Restauration (C++)'], true);
  expect(title.test('restauration (c++)')).toBe(true);
  expect(title.test('Restauration (C++) et plus')).toBe(false);
});

test('a name a service lists with its tags removed is still the stored name, and only that one', () => {
  expect(stripTagsAsMoodle(`L1 <Droit> "public" l'an`)).toBe(`L1  "public" l'an`);
  expect(stripTagsAsMoodle('a < b, <br/>c</p> <!-- x -->')).toBe('a < b, c ');
  expect(stripTagsAsMoodle('unclosed <tag and more')).toBe('unclosed ');
  expect(listedAs(`L1  "public" l'an`, `L1 <Droit> "public" l'an`)).toBe(true);
  expect(listedAs('TD & TP Économie 2', 'TD & TP Économie 2')).toBe(true);
  expect(listedAs('TD & TP', 'TD & TP 2')).toBe(false);
});

test("the stored short name is read from the settings form's field, entities decoded", () => {
  const form = `<form><input type="hidden" name="id" value="7"><input size="20" name="shortname" type="text" id="id_shortname" value="L1 &lt;Droit&gt; &quot;public&quot; l&#039;an" class="form-control"></form>`;
  expect(shortnameFieldValue(form)).toBe(`L1 <Droit> "public" l'an`);
  expect(shortnameFieldValue('<form><input name="fullname" value="x"></form>')).toBeUndefined();
  expect(shortnameFieldValue(`${form}${form}`)).toBeUndefined();
});

test("the private backup area's names are read from the restore page's Restore links, and only that area's", () => {
  const link = (component: string, filearea: string, filename: string) =>
    `<a href="http://vert/backup/restorefile.php?action=choosebackupfile&amp;filename=${encodeURIComponent(filename)}&amp;filepath=%2F&amp;component=${component}&amp;filearea=${filearea}&amp;filecontextid=5&amp;contextid=9&amp;itemid=0">Restaurer</a>`;
  const html = [
    link('user', 'backup', 'sauvegarde-moodle2-course-12-20251120-0200-nu.mbz'),
    link('user', 'backup', 'td_amp;_tp.mbz'),
    link('backup', 'automated', 'automated.mbz'),
    link('user', 'backup', 'td_amp;_tp.mbz'),
  ].join('\n');
  expect(privateBackupNamesIn(html, 'http://vert')).toEqual([
    'sauvegarde-moodle2-course-12-20251120-0200-nu.mbz',
    'td_amp;_tp.mbz',
  ]);
});
