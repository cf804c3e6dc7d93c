/** Label matchers (as Alertmanager's), glob patterns and fingerprints. */
import { createHash } from 'node:crypto';
import type { Matcher } from './types.js';

const matcherText = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(=~|!~|!=|=)\s*"?(.*?)"?\s*$/;

/** Parses `name=value`, `name!=value`, `name=~regex`, `name!~regex` (value optionally quoted). */
export function parseMatcher(text: string): Matcher {
  const m = matcherText.exec(text);
  if (!m)
    throw new RangeError(`invalid matcher: ${JSON.stringify(text)} (expected name=value, !=, =~ or !~)`);
  const op = m[2] as Matcher['op'];
  if (op === '=~' || op === '!~') anchored(m[3]);
  return { name: m[1], op, value: m[3] };
}

const compiled = new Map<string, RegExp>();

/** A compiled regex, cached (matchers and globs are few and reused on every evaluation). */
function cachedRegExp(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    if (compiled.size > 10_000) compiled.clear();
    re = new RegExp(source);
    compiled.set(source, re);
  }
  return re;
}

function anchored(source: string): RegExp {
  try {
    return cachedRegExp(`^(?:${source})$`);
  } catch {
    throw new RangeError(`invalid matcher regex: ${JSON.stringify(source)} (expected a regular expression)`);
  }
}

/** True when the labels satisfy the matcher (a missing label is the empty string, as Alertmanager). */
export function matches(labels: Record<string, string>, m: Matcher): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return anchored(m.value).test(v);
    case '!~':
      return !anchored(m.value).test(v);
  }
}

/** True when the labels satisfy every matcher. */
export function matchesAll(labels: Record<string, string>, matchers: Matcher[]): boolean {
  return matchers.every((m) => matches(labels, m));
}

/** True when `text` matches the glob `pattern` (`*` is any run of characters, nothing else is special). */
export function globMatch(pattern: string, text: string): boolean {
  if (!pattern.includes('*')) return pattern === text;
  const source = pattern
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return cachedRegExp(`^${source}$`).test(text);
}

/** A stable 16-hex-digit fingerprint of a rule id and scope labels (SHA-256 of the sorted pairs). */
export function fingerprintOf(ruleId: string, scope: Record<string, string>): string {
  const pairs = Object.keys(scope)
    .sort()
    .map((k) => [k, scope[k]]);
  const text = JSON.stringify([ruleId, pairs]);
  let fp = fingerprints.get(text);
  if (fp === undefined) {
    // Cached: a backtest asks for the same few thousand series at every window.
    if (fingerprints.size > 100_000) fingerprints.clear();
    fp = createHash('sha256').update(text).digest('hex').slice(0, 16);
    fingerprints.set(text, fp);
  }
  return fp;
}

const fingerprints = new Map<string, string>();
