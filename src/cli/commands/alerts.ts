/**
 * `plumbline alerts list|show|ack|silence|backtest`: alerts through the HTTP API (`--url`) or
 * in-process on a DuckDB file (`--db`); `backtest` replays stored metric points through the rules.
 */
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { backtestAlerts } from '../../alerts/backtest.js';
import { formatTable } from '../../alerts/format-table.js';
import { type AlertConfig, defaultInhibitRules, defaultRules, parseAlertFile } from '../../alerts/rules.js';
import { type AlertRecord, type SummaryIncidentInput, summarizeAlerts } from '../../alerts/summary.js';
import { errors } from '../../errors.js';
import { type CallTarget, callApi } from '../../server/call.js';
import { createDuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { parseTimeMsOption } from './metrics.js';
import { readJsonFile, withTarget } from './models.js';

const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

/** The backtest table: rule, scope, severity, fired, resolved, escalation. */
export function backtestTable(alerts: AlertRecord[]): string {
  return formatTable(
    ['rule', 'scope', 'severity', 'firedAt', 'resolvedAt', 'escalation'],
    alerts.map((a) => [
      a.rule,
      `${a.scope.metric} ${a.scope.segment} v=${a.scope.version}`,
      a.severity,
      a.firedAt.slice(0, 16),
      a.resolvedAt?.slice(0, 16) ?? '(firing)',
      a.escalation.map((e) => `L${e.level}@${e.at.slice(5, 16)}`).join(' ') || '-',
    ]),
  );
}

/** Incidents of a scenario file (`incidents`) or a demo summary (`scenario.incidents`), numbered. */
async function readIncidents(path: string): Promise<SummaryIncidentInput[]> {
  const doc = (await readJsonFile(path, '--incidents')) as {
    incidents?: unknown;
    scenario?: { incidents?: unknown };
  };
  // A demo summary's `scenario.incidents` are the full definitions (where, tags, version); its
  // top-level `incidents` are per-incident results without them.
  const list = doc.scenario?.incidents ?? doc.incidents;
  if (!Array.isArray(list))
    throw errors.invalidInput(`${path} has no incidents`, [
      { field: '--incidents', value: path, expected: 'a scenario file or summary.json with incidents' },
    ]);
  return list.map((i, index) => ({ index, ...(i as Omit<SummaryIncidentInput, 'index'>) }));
}

async function readConfig(path: string | undefined, model: string): Promise<AlertConfig> {
  if (path === undefined)
    return {
      rules: defaultRules({ id: model }),
      inhibitRules: defaultInhibitRules,
      escalationPolicies: [],
      grouping: {},
    };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw errors.fileNotFound(`cannot read ${path}`, [
      { field: '--rules', value: path, expected: 'a readable YAML or JSON file' },
    ]);
  }
  const config = parseAlertFile(text, { model });
  return /inhibitRules\s*:|"inhibitRules"/.test(text)
    ? config
    : { ...config, inhibitRules: defaultInhibitRules };
}

/** Registers `plumbline alerts`. */
export function registerAlerts(program: Command): void {
  const alerts = new Command('alerts').description('Alerts: list, show, acknowledge, silence, backtest');

  withTarget(alerts.command('list').description('List alerts (default: pending and firing)'))
    .option('--model <id>', 'only this model')
    .addOption(
      new Option('--state <state>', 'state filter').choices([
        'active',
        'pending',
        'firing',
        'resolved',
        'inactive',
        'all',
      ]),
    )
    .addOption(new Option('--severity <s>', 'severity filter').choices(['info', 'warning', 'critical']))
    .addOption(new Option('--format <f>', 'output').choices(['table', 'json']).default('table'))
    .action(
      async (opts: CallTarget & { model?: string; state?: string; severity?: string; format: string }) => {
        const q = new URLSearchParams();
        for (const k of ['model', 'state', 'severity'] as const) if (opts[k]) q.set(k, opts[k] as string);
        const res = (await callApi(opts, 'GET', `/v1/alerts?${q}`)) as {
          alerts: {
            id: string;
            ruleId: string;
            status: string;
            severity: string;
            labels: Record<string, string>;
            firedAtMs: number | null;
          }[];
        };
        if (opts.format === 'json') return print(res);
        process.stdout.write(
          `${formatTable(
            ['id', 'status', 'severity', 'rule', 'scope', 'firedAt'],
            res.alerts.map((a) => [
              a.id,
              a.status,
              a.severity,
              a.ruleId,
              `${a.labels.metric} ${a.labels.segment} v=${a.labels.version}`,
              a.firedAtMs === null ? '-' : new Date(a.firedAtMs).toISOString().slice(0, 16),
            ]),
          )}\n`,
        );
      },
    );

  withTarget(alerts.command('show').description('Show an alert with its history, evidence and notifications'))
    .argument('<id>', 'alert id')
    .action(async (id: string, opts: CallTarget) =>
      print(await callApi(opts, 'GET', `/v1/alerts/${encodeURIComponent(id)}`)),
    );

  withTarget(alerts.command('ack').description('Acknowledge an alert (stops escalation)'))
    .argument('<id>', 'alert id')
    .requiredOption('--by <name>', 'who acknowledges')
    .option('--note <text>', 'a note')
    .action(async (id: string, opts: CallTarget & { by: string; note?: string }) =>
      print(
        await callApi(opts, 'POST', `/v1/alerts/${encodeURIComponent(id)}/ack`, {
          by: opts.by,
          ...(opts.note !== undefined ? { note: opts.note } : {}),
        }),
      ),
    );

  withTarget(alerts.command('silence').description('Silence alerts matching label matchers for a while'))
    .argument('<matchers...>', 'matchers like alertname=auc segment=~"origin=.*"')
    .requiredOption('--duration <d>', 'how long, e.g. 2h')
    .requiredOption('--by <name>', 'who silences')
    .option('--comment <text>', 'why', '')
    .action(
      async (matchers: string[], opts: CallTarget & { duration: string; by: string; comment: string }) =>
        print(
          await callApi(opts, 'POST', '/v1/silences', {
            matchers,
            duration: opts.duration,
            createdBy: opts.by,
            comment: opts.comment,
          }),
        ),
    );

  alerts
    .command('backtest')
    .description('Replay stored metric points through rules, window by window: what would have fired')
    .requiredOption('--model <id>', 'model id')
    .option('--rules <file>', 'YAML or JSON alert file (default: the default rules)')
    .option('--from <time>', 'first window start (YYYY-MM-DD, ISO or epoch ms)', parseTimeMsOption)
    .option('--to <time>', 'end, exclusive', parseTimeMsOption)
    .option('--db <file>', 'DuckDB database file', 'plumbline.duckdb')
    .option(
      '--incidents <file>',
      'scenario or demo summary.json: report detection per incident and false alarms',
    )
    .addOption(new Option('--format <f>', 'output').choices(['table', 'json']).default('table'))
    .action(
      async (opts: {
        incidents?: string;
        model: string;
        rules?: string;
        from?: number;
        to?: number;
        db: string;
        format: string;
      }) => {
        const config = await readConfig(opts.rules, opts.model);
        const store = await createDuckDbStore({ path: opts.db });
        let points: Awaited<ReturnType<typeof store.queryMetricPoints>>;
        try {
          points = await store.queryMetricPoints({
            model: opts.model,
            ...(opts.from !== undefined ? { fromMs: opts.from } : {}),
            ...(opts.to !== undefined ? { toMs: opts.to } : {}),
          });
        } finally {
          await store.close();
        }
        const r = backtestAlerts({
          rules: config.rules,
          points,
          inhibitRules: config.inhibitRules,
          escalationPolicies: config.escalationPolicies,
          grouping: config.grouping,
        });
        const summary = opts.incidents
          ? summarizeAlerts(r.alerts, await readIncidents(opts.incidents))
          : undefined;
        if (opts.format === 'json')
          return print({
            model: opts.model,
            points: points.length,
            steps: r.steps,
            notifications: r.notifications.length,
            alerts: r.alerts,
            ...(summary
              ? {
                  incidents: summary.incidents,
                  falseAlarms: summary.falseAlarms,
                  falseAlarmsNotified: summary.falseAlarmsNotified,
                }
              : {}),
          });
        process.stdout.write(
          `${backtestTable(r.alerts)}\n\n${r.alerts.length} alert episode(s) (${r.alerts.filter((a) => a.notified).length} notified) from ${points.length} points in ${r.steps} steps; ${r.notifications.length} notification(s)\n`,
        );
        if (summary)
          process.stdout.write(
            `\n${formatTable(
              [
                'incident',
                'kind',
                'detected',
                'delay (min)',
                'first alert',
                'matched by',
                'specific delay (min)',
              ],
              summary.incidents.map((i) => [
                String(i.index),
                i.kind,
                String(i.detected),
                i.detectionDelayMinutes === null ? '-' : String(i.detectionDelayMinutes),
                i.firstAlert
                  ? `${i.firstAlert.rule} ${i.firstAlert.scope.metric} ${i.firstAlert.scope.segment}`
                  : '-',
                i.firstAlert?.matchedBy ?? '-',
                i.specificDelayMinutes === null
                  ? '-'
                  : `${i.specificDelayMinutes} (${i.firstSpecificAlert?.scope.metric} ${i.firstSpecificAlert?.scope.segment})`,
              ]),
            )}\nfalse alarms: ${summary.falseAlarms} (${summary.falseAlarmsNotified} notified)\n`,
          );
      },
    );

  program.addCommand(alerts);
}
