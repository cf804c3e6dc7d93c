/**
 * Notifier targets from a file (YAML or JSON): `notifiers: [{ name, type, … }]`, validated with
 * field-level issues. Secrets may be given inline or, better, by environment variable name
 * (`secretEnv`, `routingKeyEnv`), resolved through the `env` argument.
 */
import { errors, type Issue } from '../../errors.js';
import { isObj, parseYamlDocument } from '../rules.js';
import type { NotifierConfig } from './deliver.js';

type Obj = Record<string, unknown>;
const isUrl = (v: unknown) => typeof v === 'string' && /^https?:\/\/\S+$/.test(v);

/** Validates `{ notifiers: [...] }` (or a bare list); throws `PLB_ERR_INVALID_INPUT` listing every issue. */
export function parseNotifiers(doc: unknown, env: Record<string, string | undefined> = {}): NotifierConfig[] {
  const list = Array.isArray(doc) ? doc : isObj(doc) ? doc.notifiers : undefined;
  const issues: Issue[] = [];
  const out: NotifierConfig[] = [];
  if (!Array.isArray(list)) {
    throw errors.invalidInput('no notifiers list', [
      { field: 'notifiers', value: list, expected: 'a list of notifiers' },
    ]);
  }
  const secret = (o: Obj, key: string, at: string): string | undefined => {
    if (typeof o[key] === 'string' && o[key] !== '') return o[key] as string;
    const name = o[`${key}Env`];
    if (typeof name === 'string' && env[name]) return env[name];
    issues.push({
      field: `${at}.${key}`,
      value: name,
      expected: `${key} or ${key}Env naming a set environment variable`,
    });
    return undefined;
  };
  list.forEach((n, i) => {
    const at = `notifiers[${i}]`;
    if (!isObj(n) || typeof n.name !== 'string' || n.name === '') {
      issues.push({ field: `${at}.name`, value: isObj(n) ? n.name : n, expected: 'a non-empty name' });
      return;
    }
    const name = n.name;
    if (out.some((x) => x.name === name))
      issues.push({ field: `${at}.name`, value: name, expected: 'a unique name' });
    const url = () => {
      if (isUrl(n.url)) return n.url as string;
      issues.push({ field: `${at}.url`, value: n.url, expected: 'an http(s) URL' });
      return '';
    };
    switch (n.type) {
      case 'log':
        out.push({ name, type: 'log' });
        break;
      case 'slack':
        out.push({ name, type: 'slack', url: url() });
        break;
      case 'webhook': {
        const u = url();
        out.push({ name, type: 'webhook', url: u, secret: secret(n, 'secret', at) ?? '' });
        break;
      }
      case 'pagerduty': {
        const routingKey = secret(n, 'routingKey', at) ?? '';
        out.push({ name, type: 'pagerduty', routingKey, ...(n.url !== undefined ? { url: url() } : {}) });
        break;
      }
      default:
        issues.push({
          field: `${at}.type`,
          value: n.type,
          expected: 'one of webhook, slack, pagerduty, log',
        });
    }
  });
  if (issues.length > 0) throw errors.invalidInput(`${issues.length} problem(s) in the notifiers`, issues);
  return out;
}

/** Parses a notifiers file's text (YAML or JSON). */
export function parseNotifiersFile(
  text: string,
  env: Record<string, string | undefined> = {},
): NotifierConfig[] {
  return parseNotifiers(parseYamlDocument(text, 'notifiers file'), env);
}
