/**
 * Moodle's external functions return names as formatted text: `format_string` escapes them for HTML
 * (`TD & TP` comes back as `TD &amp; TP`, a quote as `&quot;` or `&#039;`). The robot compares names as
 * Moodle stores them, so it decodes what the service escaped: the five characters PHP's
 * htmlspecialchars writes, any numeric reference, and the named references HTML 4 defines for Latin-1
 * (format_string may leave an `&eacute;` typed by a teacher as it is).
 */
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

// HTML 4's Latin-1 names, U+00A1 to U+00FF, in code point order.
const LATIN1 =
  'iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml'.split(
    ' ',
  );
LATIN1.forEach((name, index) => {
  NAMED[name] = String.fromCodePoint(0xa1 + index);
});
Object.assign(NAMED, { OElig: 'Œ', oelig: 'œ', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', euro: '€' });

export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);/giu, (reference, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : reference;
    }
    return NAMED[body] ?? reference;
  });
}
