/**
 * Compact, exact encodings for sketch state inside JSON: base64 of raw bytes
 * (float64 little-endian for values, uint8 for registers). Works in Node and
 * browsers (no `Buffer`).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Encodes bytes as standard base64 (RFC 4648, with padding). */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  for (let i = 0; i < n; i += 3) {
    const a = bytes[i];
    const b = i + 1 < n ? bytes[i + 1] : 0;
    const c = i + 2 < n ? bytes[i + 2] : 0;
    const triple = (a << 16) | (b << 8) | c;
    out += ALPHABET[(triple >>> 18) & 63] + ALPHABET[(triple >>> 12) & 63];
    out += i + 1 < n ? ALPHABET[(triple >>> 6) & 63] : '=';
    out += i + 2 < n ? ALPHABET[triple & 63] : '=';
  }
  return out;
}

/** Decodes standard base64; throws TypeError on characters outside the alphabet. */
export function decodeBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0)
    throw new TypeError(`invalid base64: length ${text.length} (expected a multiple of 4)`);
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let triple = 0;
    for (let j = 0; j < 4; j++) {
      const ch = text.charCodeAt(i + j);
      const v = ch === 61 /* '=' */ ? 0 : ch < 128 ? LOOKUP[ch] : -1;
      if (v < 0) throw new TypeError(`invalid base64: character ${JSON.stringify(text[i + j])} at ${i + j}`);
      triple = (triple << 6) | v;
    }
    if (o < out.length) out[o++] = (triple >>> 16) & 255;
    if (o < out.length) out[o++] = (triple >>> 8) & 255;
    if (o < out.length) out[o++] = triple & 255;
  }
  return out;
}

/** Encodes float64 values (bit-exact, including ±Infinity) as base64 of little-endian bytes. */
export function encodeFloat64(values: Float64Array): string {
  const copy = new Float64Array(values);
  const view = new DataView(copy.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  return encodeBase64(new Uint8Array(copy.buffer));
}

/** Decodes what `encodeFloat64` produced. */
export function decodeFloat64(text: string): Float64Array {
  const bytes = decodeBase64(text);
  if (bytes.length % 8 !== 0)
    throw new TypeError(`invalid float64 payload: ${bytes.length} bytes (expected a multiple of 8)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}
