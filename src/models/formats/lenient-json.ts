/**
 * JSON.parse that also accepts the bare `NaN`, `Infinity` and `-Infinity` tokens
 * XGBoost writes (e.g. the split condition of a categorical node), turning them into
 * the corresponding numbers. Strings are left alone.
 */

const SENTINEL = '__plumbline_nonfinite__';
const NONFINITE = ['-Infinity', 'Infinity', 'NaN'];

/** Parses JSON text, accepting bare NaN/Infinity/-Infinity as numbers; throws SyntaxError otherwise. */
export function parseLenientJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!/NaN|Infinity/.test(text)) throw err;
  }
  let out = '';
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n && text.charCodeAt(i) !== 34) i += text.charCodeAt(i) === 92 /* \ */ ? 2 : 1;
      i++;
      continue;
    }
    const token = c === 78 || c === 73 || c === 45 ? NONFINITE.find((t) => text.startsWith(t, i)) : undefined;
    if (token === undefined) {
      i++;
      continue;
    }
    out += `${text.slice(last, i)}"${SENTINEL}${token}"`;
    i += token.length;
    last = i;
  }
  out += text.slice(last);
  return JSON.parse(out, (_key, value) => {
    if (typeof value === 'string' && value.startsWith(SENTINEL)) return Number(value.slice(SENTINEL.length));
    return value;
  });
}
