/**
 * Parser for the Debian Description Translation Project's `Translation-<lang>` indexes
 * (dists/<suite>/<component>/i18n/Translation-<lang>, deb822 stanzas):
 *
 *   Package: 0ad
 *   Description-md5: d943033bedada21853d2ae54a2578a7b
 *   Description-de: <synopsis>
 *    <long description, each line indented by one space; " ." separates paragraphs>
 *
 * `Description-md5` is the MD5 of the original English description, so it is the key that makes the
 * indexes of different languages parallel (Debian Policy §5.6.13; DDTP documentation).
 */
import { XmrError } from '../../errors.js';

export interface DdtpRecord {
  /** Binary package name. */
  package: string;
  /** MD5 of the English description; shared by all translations of it and by packages sharing it. */
  md5: string;
  /** The one-line synopsis (short description). */
  synopsis: string;
  /** The long description as text: one line per paragraph, lines within a paragraph joined by a space. */
  long: string;
}

const MD5 = /^[0-9a-f]{32}$/;

/**
 * Parses one `Translation-<lang>` index. `file` names the source in error messages.
 * Throws XmrError(E_PARSE) with the 1-based line of the first malformed stanza.
 */
export function parseTranslation(text: string, lang: string, file = `Translation-${lang}`): DdtpRecord[] {
  if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(lang)) throw new RangeError(`lang must be a language code like "de" or "pt_BR", got ${JSON.stringify(lang)}`);
  const descField = `Description-${lang}`;
  const lines = text.split('\n');
  const out: DdtpRecord[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i] === '') {
      i++;
      continue;
    }
    const start = i + 1;
    let pkg: string | undefined;
    let md5: string | undefined;
    let synopsis: string | undefined;
    const paragraphs: string[] = [];
    let para: string[] = [];
    while (i < lines.length && lines[i] !== '') {
      const line = lines[i]!;
      const lineNo = i + 1;
      i++;
      if (line.startsWith(' ')) {
        if (synopsis === undefined) throw new XmrError('E_PARSE', 'continuation line outside a description field', { file, line: lineNo });
        const body = line.slice(1);
        if (body === '.') {
          if (para.length > 0) paragraphs.push(para.join(' '));
          para = [];
        } else {
          const t = body.trim().replace(/\s+/g, ' ');
          if (t !== '') para.push(t);
        }
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) throw new XmrError('E_PARSE', `expected "Field: value", got ${JSON.stringify(line.slice(0, 60))}`, { file, line: lineNo });
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1).trim();
      if (name === 'Package') pkg = value;
      else if (name === 'Description-md5') {
        if (!MD5.test(value)) throw new XmrError('E_PARSE', `Description-md5 is not 32 hex digits: ${JSON.stringify(value)}`, { file, line: lineNo });
        md5 = value;
      } else if (name === descField) synopsis = value.replace(/\s+/g, ' ');
      else if (name.startsWith('Description-')) throw new XmrError('E_PARSE', `expected ${descField}, got ${name}`, { file, line: lineNo });
      // Other fields are ignored: none are defined for Translation files today.
    }
    if (para.length > 0) paragraphs.push(para.join(' '));
    if (pkg === undefined || md5 === undefined || synopsis === undefined) {
      const missing = pkg === undefined ? 'Package' : md5 === undefined ? 'Description-md5' : descField;
      throw new XmrError('E_PARSE', `stanza lacks ${missing}`, { file, line: start });
    }
    out.push({ package: pkg, md5, synopsis, long: paragraphs.join('\n') });
  }
  if (out.length === 0) throw new XmrError('E_EMPTY', 'no stanzas', { file });
  return out;
}
