import { createHash } from 'node:crypto';
import path from 'node:path';
import type { RunPageModel, RunPageRow } from './read-run.js';
import type { ReportLanguage } from '../../config/env.js';
import { COUNTED_OUTCOMES, RUN_PAGE_STRINGS, type RunPageStrings } from './strings.js';

export interface RenderOptions {
  language: ReportLanguage;
  supportEmail: string;
  /** The rerun list and its command, when something is to be run again. */
  rerun?: { csvFile: string; csv: string; command: string; count: number };
  /** Files of the batch folder to link at the top, when they exist (relative paths). */
  files: { playwrightReport?: string; summaryCsv?: string; summaryJson?: string };
}

/**
 * The run's page: one self-contained file (inline style and script, no external asset) that works from
 * the file system. Every text from Moodle, the course list or the evidence is HTML-escaped; the only
 * script allowed to run is the page's own (its hash is the Content-Security-Policy's only script source).
 */
export function renderRunPage(model: RunPageModel, options: RenderOptions): string {
  const t = RUN_PAGE_STRINGS[options.language];
  const categories = categoriesOf(model.rows);
  const emptied = model.rows.filter((row) => row.category === 'emptied').length;
  const script = PAGE_SCRIPT.replace('__COPIED__', JSON.stringify(t.copied)).replace(
    '__SHOWN__',
    JSON.stringify(t.shown),
  );
  const scriptHash = createHash('sha256').update(script).digest('base64');
  const csp = `default-src 'none'; img-src * data: file:; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; base-uri 'none'; form-action 'none'`;
  const filterCss = categories
    .map(({ key }) => `body[data-filter="${key}"] tr.row:not([data-outcome="${key}"]){display:none}`)
    .join('\n');
  const when = (iso: string | undefined) => (iso === undefined ? '?' : readableTime(iso));
  const banners = [
    model.dryRun ? `<p class="banner dry">${esc(t.dryRun)}</p>` : '',
    emptied > 0 ? `<p class="banner emptied" role="alert">${esc(t.emptiedWarning(emptied))}</p>` : '',
  ].join('');
  const fileLinks = [
    link(options.files.playwrightReport, t.playwrightReport, 'playwright-report'),
    link(options.files.summaryCsv, 'summary.csv'),
    link(options.files.summaryJson, 'summary.json'),
  ]
    .filter(Boolean)
    .join(' · ');

  return `<!DOCTYPE html>
<html lang="${options.language}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title(model.runId))}</title>
<style>${PAGE_CSS}
${filterCss}</style></head>
<body data-filter="all">
<header><h1>${esc(t.title(model.runId))}</h1>
<p>${esc(t.intro(model.vertUrl, when(model.startedAt), when(model.endedAt)))}</p>${banners}
<p class="files">${esc(t.files)}: ${fileLinks}</p></header>
<fieldset class="counts"><legend class="sr">${esc(t.columns.outcome)}</legend>
${countCard('all', t.all, model.rows.length, true)}
${categories.map(({ key, status }) => countCard(key, label(t, status), countOf(model.rows, status))).join('\n')}
</fieldset>
<p id="shown" aria-live="polite">${esc(shownText(t, model.rows.length, model.rows.length))}</p>
<table id="courses"><thead><tr>${[
    t.columns.line,
    t.columns.course,
    t.columns.outcome,
    t.columns.reason,
    t.columns.links,
    t.columns.backup,
    t.columns.lostAccess,
    t.columns.duration,
    t.columns.lastScreen,
  ]
    .map((name) => `<th scope="col">${esc(name)}</th>`)
    .join('')}</tr></thead>
<tbody>
${model.rows.map((row) => courseRow(row, t, options.supportEmail)).join('\n')}
</tbody></table>
${rerunSection(t, options.rerun, emptied)}
<script>${script}</script>
</body></html>
`;
}

/** The outcomes of the page's counts and filters: the usual ones always, any other as it occurs. */
function categoriesOf(rows: readonly RunPageRow[]): { key: string; status: string }[] {
  const present = new Set(rows.map((row) => row.category));
  const statuses = [...COUNTED_OUTCOMES, ...[...present].filter((s) => !isCounted(s)).sort()];
  return statuses.map((status) => ({ key: keyOf(status), status }));
}

function isCounted(status: string): boolean {
  return (COUNTED_OUTCOMES as readonly string[]).includes(status);
}

/** A category as an attribute value and CSS selector: lowercase letters, digits and dashes. */
export function keyOf(category: string): string {
  return category.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

function countOf(rows: readonly RunPageRow[], category: string): number {
  return rows.filter((row) => row.category === category).length;
}

function label(t: RunPageStrings, category: string, one = false): string {
  return (one ? t.outcome : t.outcomes)[category] ?? category;
}

function countCard(key: string, text: string, count: number, checked = false): string {
  return `<label class="count o-${key}${count === 0 ? ' zero' : ''}"><input type="radio" name="filter" value="${key}"${checked ? ' checked' : ''}><span class="n">${count}</span> <span class="what">${esc(text)}</span></label>`;
}

function courseRow(row: RunPageRow, t: RunPageStrings, supportEmail: string): string {
  const key = keyOf(row.category);
  const reason = [
    row.step ? `<span class="step">${esc(t.stoppedAt(row.step))}</span> ` : '',
    esc(row.reason),
    row.restoredCounts
      ? esc(t.restoredDetail(row.restoredCounts.activities, row.restoredCounts.sections))
      : '',
    row.category === 'already-restored' && row.restoredAt ? esc(t.alreadyRestoredOn(row.restoredAt)) : '',
    row.supportMessage ? supportBlock(row, t, supportEmail) : '',
  ].join('');
  const links = [
    row.vertCourseUrl ? `<a class="vert" href="${esc(row.vertCourseUrl)}">${esc(t.vertCourse)}</a>` : '',
    row.bleuCourseUrl
      ? `<a class="bleu" href="${esc(row.bleuCourseUrl)}">${esc(row.bleuIsSearch ? t.bleuSearch : t.bleuCourse)}</a>`
      : '',
  ]
    .filter(Boolean)
    .join('<br>');
  const lost =
    row.lostAccess === undefined
      ? esc(row.courseEmptied ? t.notKnown : t.nobody)
      : row.lostAccess.length === 0
        ? esc(t.nobody)
        : `<ul>${row.lostAccess
            .map(
              (who) =>
                `<li>${esc(who.fullname)}${who.role || who.method ? ` <small>(${esc([who.role, who.method].filter(Boolean).join(', '))})</small>` : ''}</li>`,
            )
            .join('')}</ul>`;
  const shot =
    row.evidenceDir === undefined
      ? ''
      : `<a class="evidence" href="${href(row.evidenceDir)}/">${
          row.lastScreen
            ? `<img loading="lazy" decoding="async" src="${href(row.lastScreen.file)}" alt="${esc(row.lastScreen.step)}" title="${esc(row.lastScreen.step)}">`
            : `<span>${esc(t.noScreenshot)}</span>`
        }<span class="ev">${esc(t.evidence)}</span></a>`;
  return `<tr class="row" data-outcome="${key}" data-line="${row.line}"><td class="line">${row.line}</td><td class="course">${esc(row.course)}${row.attempts > 1 ? ` <small>${esc(t.attempts(row.attempts))}</small>` : ''}</td><td class="outcome"><span class="badge o-${key}">${esc(label(t, row.category, true))}</span></td><td class="reason">${reason}</td><td class="links">${links}</td><td class="backup">${esc(row.backupFile)}</td><td class="lost">${lost}</td><td class="duration">${row.durationMs === undefined ? '' : esc(duration(row.durationMs))}</td><td class="shot">${shot}</td></tr>`;
}

function supportBlock(row: RunPageRow, t: RunPageStrings, supportEmail: string): string {
  const message = row.supportMessage;
  if (message === undefined) return '';
  const id = `support-${row.line}`;
  const mailto = `mailto:${encodeURIComponent(supportEmail)}?subject=${encodeURIComponent(message.subject)}&body=${encodeURIComponent(message.body)}`;
  return `<details class="support"><summary>${esc(t.supportMessage)}</summary><pre id="${id}">${esc(`${message.subject}\n\n${message.body}`)}</pre><button type="button" data-copy="${id}">${esc(t.copy)}</button> <a class="mailto" href="${esc(mailto)}">${esc(t.mailTo(supportEmail))}</a></details>`;
}

function rerunSection(t: RunPageStrings, rerun: RenderOptions['rerun'], emptied: number): string {
  const emptiedNote = emptied > 0 ? `<p>${esc(t.rerunEmptied(emptied))}</p>` : '';
  if (rerun === undefined || rerun.count === 0)
    return `<section id="rerun"><h2>${esc(t.rerunTitle)}</h2><p>${esc(t.rerunNone)}</p>${emptiedNote}</section>`;
  return `<section id="rerun"><h2>${esc(t.rerunTitle)}</h2><p>${esc(t.rerunIntro(rerun.count))}</p>${emptiedNote}
<div class="copyable"><pre id="rerun-command">${esc(rerun.command)}</pre><button type="button" data-copy="rerun-command">${esc(t.copy)}</button></div>
<p><a id="rerun-csv-link" href="${href(rerun.csvFile)}">${esc(rerun.csvFile)}</a></p>
<div class="copyable"><pre id="rerun-csv">${esc(rerun.csv)}</pre><button type="button" data-copy="rerun-csv">${esc(t.copy)}</button></div></section>`;
}

function shownText(t: RunPageStrings, shown: number, total: number): string {
  return t.shown.replace('{shown}', String(shown)).replace('{total}', String(total));
}

function link(file: string | undefined, text: string, id?: string): string {
  return file === undefined ? '' : `<a${id ? ` id="${id}"` : ''} href="${href(file)}">${esc(text)}</a>`;
}

/** A relative path of the batch folder as a link: each part URL-encoded, forward slashes. */
function href(relative: string): string {
  return relative.split(path.sep).map(encodeURIComponent).join('/');
}

export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

function readableTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const PAGE_CSS = `
:root{color-scheme:light;--ok:#1b7a34;--warn:#9a5b00;--bad:#b3261e;--worse:#6d0f0a;--info:#2457a6;--other:#5b5b66}
*{box-sizing:border-box}
body{font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:1.2rem 1.5rem;color:#1d1d22;background:#fafafa}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
header p{margin:.2rem 0}.files{font-size:.9rem}
.banner{padding:.5rem .8rem;border-radius:6px;font-weight:600;margin:.5rem 0}
.banner.dry{background:#e4f0fb;color:var(--info)}.banner.emptied{background:var(--worse);color:#fff}
.counts{display:flex;flex-wrap:wrap;gap:.6rem;border:0;padding:0;margin:1rem 0 .4rem}
.sr{position:absolute;left:-9999px}
.count{display:flex;flex-direction:column;min-width:8.5rem;padding:.55rem .8rem;border-radius:8px;background:#fff;border:2px solid #d6d6dc;cursor:pointer;border-left-width:8px}
.count input{position:absolute;opacity:0;pointer-events:none}
.count .n{font-size:1.9rem;font-weight:700;line-height:1.1}.count .what{font-size:.85rem}
.count.zero{opacity:.55}.count:has(input:checked){outline:3px solid #1d1d22;outline-offset:1px}
.count:has(input:focus-visible){outline:3px dashed #1d1d22}
.o-all{border-left-color:#1d1d22}
.o-restored{border-left-color:var(--ok)}.o-refused{border-left-color:var(--warn)}
.o-failed{border-left-color:var(--bad)}.o-emptied{border-left-color:var(--worse)}
.o-already-restored,.o-dry-run{border-left-color:var(--info)}
.o-claimed-elsewhere,.o-not-run{border-left-color:var(--other)}
#shown{font-size:.9rem;color:#555;margin:.2rem 0 .5rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e2e2e8;padding:.45rem .5rem;text-align:left;vertical-align:top}
th{position:sticky;top:0;background:#eeeef3;font-size:.85rem;z-index:1}
td.line,td.duration{white-space:nowrap;color:#555}td.course{font-weight:600;white-space:nowrap}
td.reason{max-width:34rem}td.backup{font-size:.8rem;word-break:break-all;max-width:14rem;color:#444}
td.lost ul{margin:0;padding-left:1rem}td.links{white-space:nowrap}
.step{font-weight:600}
.badge{display:inline-block;padding:.15rem .5rem;border-radius:999px;font-size:.8rem;font-weight:600;white-space:nowrap;border:0;background:var(--other);color:#fff}
.badge.o-restored{background:var(--ok)}.badge.o-refused{background:var(--warn)}.badge.o-failed{background:var(--bad)}
.badge.o-emptied{background:var(--worse)}.badge.o-already-restored,.badge.o-dry-run{background:var(--info)}
td.shot a{display:inline-flex;flex-direction:column;align-items:center;font-size:.75rem;text-decoration:none}
td.shot img{width:128px;height:96px;object-fit:cover;object-position:top;border:1px solid #ccc;border-radius:4px;background:#eee}
details.support{margin-top:.4rem}details.support summary{cursor:pointer;color:var(--bad);font-weight:600}
pre{white-space:pre-wrap;word-break:break-word;background:#f2f2f6;border:1px solid #dcdce4;border-radius:4px;padding:.5rem;font-size:.8rem;margin:.3rem 0}
button{font:inherit;font-size:.85rem;padding:.2rem .7rem;border-radius:4px;border:1px solid #888;background:#fff;cursor:pointer}
.copyable{display:flex;gap:.5rem;align-items:flex-start}.copyable pre{flex:1;margin:0}
`;

const PAGE_SCRIPT = `
(function () {
  var shownTemplate = __SHOWN__;
  var copied = __COPIED__;
  var shown = document.getElementById('shown');
  var rows = document.querySelectorAll('#courses tr.row');
  function shownText(n, total) {
    return shownTemplate.replace('{shown}', String(n)).replace('{total}', String(total));
  }
  function apply(filter) {
    document.body.setAttribute('data-filter', filter);
    var n = 0;
    if (filter === 'all') n = rows.length;
    else for (var i = 0; i < rows.length; i++) if (rows[i].getAttribute('data-outcome') === filter) n++;
    shown.textContent = shownText(n, rows.length);
  }
  var radios = document.querySelectorAll('input[name="filter"]');
  for (var i = 0; i < radios.length; i++)
    radios[i].addEventListener('change', function (event) {
      var value = event.target.value;
      apply(value);
      history.replaceState(null, '', value === 'all' ? location.pathname : '#' + value);
    });
  function fromAddress() {
    var wanted = location.hash.slice(1).replace(/[^a-z0-9-]/g, '') || 'all';
    var radio = document.querySelector('input[name="filter"][value="' + wanted + '"]');
    if (radio) { radio.checked = true; apply(radio.value); }
  }
  fromAddress();
  addEventListener('hashchange', fromAddress);
  document.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-copy]');
    if (!button) return;
    var source = document.getElementById(button.getAttribute('data-copy'));
    var text = source ? source.textContent : '';
    var done = function () { button.textContent = copied; };
    var fallback = function () {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      if (document.execCommand('copy')) done();
    };
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  });
})();
`;
