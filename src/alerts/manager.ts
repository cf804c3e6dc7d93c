/**
 * `AlertManager`: the alert engine's edge service (not pure). Per model it loads the alert
 * configuration (or the defaults), the persisted state and the silences, reads the new metric points
 * from the store, calls `evaluateAlerts`, persists the result (state, notification log) and delivers
 * the notifications, recording every delivery. State survives a restart because it lives in the store.
 */
import { errors } from '../errors.js';
import type { MetricPoint, SilenceRow, Store, WindowSize } from '../store/store.js';
import { acknowledgeAlert, emptyAlertState, evaluateAlerts } from './evaluate.js';
import {
  type AlertLogger,
  type DeliveryOptions,
  type DeliveryRecord,
  deliverNotifications,
  type NotifierConfig,
} from './notifiers/deliver.js';
import { type AlertConfig, defaultInhibitRules, defaultRules, parseAlertConfig } from './rules.js';
import type { AlertInstance, AlertState, Notification, Silence, Transition } from './types.js';

/** What the manager persists per model. */
export interface ManagerState {
  alerts: AlertState;
  /** Last notifications (newest last, at most 200). */
  notifications: Notification[];
  /** Largest window start read per window size (the next read starts `lookbackMs` before it). */
  watermarks: Partial<Record<WindowSize, number>>;
}

/** Options of {@link AlertManager}. */
export interface AlertManagerOptions {
  store: Store;
  /** Delivery targets by name (`log` is always available). */
  notifiers?: NotifierConfig[];
  delivery?: DeliveryOptions;
  logger?: AlertLogger;
  /** Wall clock (epoch ms). Default `Date.now`. */
  now?: () => number;
  /** How far before the watermark points are re-read (late labels rewrite windows). Default 7 days. */
  lookbackMs?: number;
  /** Called for each alert that became firing in an evaluation (e.g. to run an RCA); the id is kept on its episode. */
  onFiring?: (alert: AlertInstance, now: number) => Promise<{ rcaId: string } | undefined>;
}

const defaults = { now: () => Date.now(), lookbackMs: 7 * 86_400_000 };
const notificationLog = 200;

/** Outcome of one evaluation. */
export interface EvaluationOutcome {
  transitions: Transition[];
  notifications: Notification[];
  deliveries: DeliveryRecord[];
}

/** Loads, evaluates, persists and notifies. */
export class AlertManager {
  readonly #store: Store;
  readonly #notifiers: NotifierConfig[];
  readonly #o: typeof defaults & AlertManagerOptions;
  /** Tail of each model's queue: evaluations and acks of one model run one at a time (read-modify-write). */
  readonly #queues = new Map<string, Promise<unknown>>();

  #serial<T>(model: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.#queues.get(model) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => undefined);
    this.#queues.set(model, tail);
    void tail.then(() => {
      if (this.#queues.get(model) === tail) this.#queues.delete(model);
    });
    return run;
  }

  constructor(options: AlertManagerOptions) {
    this.#o = { ...defaults, ...options };
    this.#store = options.store;
    const named = options.notifiers ?? [];
    this.#notifiers = named.some((n) => n.name === 'log') ? named : [...named, { name: 'log', type: 'log' }];
  }

  /** The model's alert configuration: the stored one, or the defaults. */
  async getConfig(model: string): Promise<AlertConfig> {
    const stored = (await this.#store.getAlertConfig(model)) as AlertConfig | undefined;
    return (
      stored ?? {
        rules: defaultRules({ id: model }),
        inhibitRules: defaultInhibitRules,
        escalationPolicies: [],
        grouping: {},
      }
    );
  }

  /** Validates (field-level `PLB_ERR_INVALID_INPUT`) and saves a model's configuration; returns it. */
  async setConfig(model: string, doc: unknown): Promise<AlertConfig> {
    const parsed = parseAlertConfig(doc, { model });
    const hasInhibit = typeof doc === 'object' && doc !== null && 'inhibitRules' in doc;
    const config = { ...parsed, inhibitRules: hasInhibit ? parsed.inhibitRules : defaultInhibitRules };
    await this.#store.setAlertConfig(model, config);
    return config;
  }

  /** The persisted state of a model (empty when none). */
  async getState(model: string): Promise<ManagerState> {
    const stored = (await this.#store.getAlertState(model)) as ManagerState | undefined;
    return stored ?? { alerts: emptyAlertState(), notifications: [], watermarks: {} };
  }

  /** Every model's alerts (models that have alert state). */
  async queryAlerts(models: string[]): Promise<AlertInstance[]> {
    const out: AlertInstance[] = [];
    for (const m of models) out.push(...Object.values((await this.getState(m)).alerts.alerts));
    return out;
  }

  /** Active silences as the engine takes them. */
  async silences(): Promise<Silence[]> {
    return (await this.#store.querySilences()) as SilenceRow[] as Silence[];
  }

  /**
   * Evaluates a model's rules over the points written since the last evaluation (or over `points`
   * when given, e.g. a backtest), persists the state and delivers the notifications.
   */
  evaluate(
    model: string,
    options: { points?: MetricPoint[]; now?: number } = {},
  ): Promise<EvaluationOutcome> {
    return this.#serial(model, () => this.#evaluate(model, options));
  }

  async #evaluate(
    model: string,
    options: { points?: MetricPoint[]; now?: number },
  ): Promise<EvaluationOutcome> {
    const now = options.now ?? this.#o.now();
    const config = await this.getConfig(model);
    const saved = await this.getState(model);
    const points = options.points ?? (await this.#readPoints(model, config, saved));
    const result = evaluateAlerts({
      rules: config.rules,
      points,
      previous: saved.alerts,
      now,
      silences: await this.silences(),
      inhibitRules: config.inhibitRules,
      escalationPolicies: config.escalationPolicies,
      grouping: config.grouping,
    });
    const watermarks = { ...saved.watermarks };
    for (const p of points)
      watermarks[p.window.size] = Math.max(
        watermarks[p.window.size] ?? Number.NEGATIVE_INFINITY,
        p.window.startMs,
      );
    await this.#save(model, {
      alerts: await this.#onFiring(result.state, result.transitions, now),
      notifications: [...saved.notifications, ...result.notifications].slice(-notificationLog),
      watermarks,
    });
    const deliveries = await this.#deliver(result.notifications);
    return { transitions: result.transitions, notifications: result.notifications, deliveries };
  }

  /** Acknowledges an alert of a model (stops escalation, tells everyone told so far). */
  acknowledge(
    model: string,
    fingerprint: string,
    by: string,
    note?: string,
  ): Promise<{ alert: AlertInstance; deliveries: DeliveryRecord[] }> {
    return this.#serial(model, () => this.#acknowledge(model, fingerprint, by, note));
  }

  async #acknowledge(
    model: string,
    fingerprint: string,
    by: string,
    note: string | undefined,
  ): Promise<{ alert: AlertInstance; deliveries: DeliveryRecord[] }> {
    const saved = await this.getState(model);
    const config = await this.getConfig(model);
    const r = acknowledgeAlert({
      state: saved.alerts,
      fingerprint,
      by,
      now: this.#o.now(),
      escalationPolicies: config.escalationPolicies,
      grouping: config.grouping,
      ...(note !== undefined ? { note } : {}),
    });
    if (r === undefined)
      throw errors.notFound(`no alert ${fingerprint}`, [
        { field: 'id', value: fingerprint, expected: 'an alert id' },
      ]);
    if (r === 'not_active')
      throw errors.conflict(`alert ${fingerprint} is not pending or firing`, [
        { field: 'id', value: fingerprint, expected: 'a pending or firing alert' },
      ]);
    await this.#save(model, {
      ...saved,
      alerts: r.state,
      notifications: [...saved.notifications, ...r.notifications].slice(-notificationLog),
    });
    return { alert: r.state.alerts[fingerprint], deliveries: await this.#deliver(r.notifications) };
  }

  async #readPoints(model: string, config: AlertConfig, saved: ManagerState): Promise<MetricPoint[]> {
    const sizes = [...new Set(config.rules.map((r) => r.window))];
    const out: MetricPoint[] = [];
    for (const window of sizes) {
      const mark = saved.watermarks[window];
      const fromMs = mark === undefined ? undefined : mark - this.#o.lookbackMs;
      out.push(
        ...(await this.#store.queryMetricPoints({
          model,
          window,
          ...(fromMs !== undefined ? { fromMs } : {}),
        })),
      );
    }
    return out;
  }

  /** Runs `onFiring` for the alerts that became firing and records each returned RCA id on the open episode. */
  async #onFiring(state: AlertState, transitions: Transition[], now: number): Promise<AlertState> {
    const onFiring = this.#o.onFiring;
    if (!onFiring) return state;
    const alerts = { ...state.alerts };
    for (const fp of new Set(transitions.filter((t) => t.to === 'firing').map((t) => t.fingerprint))) {
      const a = alerts[fp];
      if (a === undefined || a.episodes.length === 0) continue;
      try {
        const r = await onFiring(a, now);
        if (r === undefined) continue;
        const episodes = [...a.episodes];
        episodes[episodes.length - 1] = { ...episodes[episodes.length - 1], rcaId: r.rcaId };
        alerts[fp] = { ...a, episodes };
      } catch (err) {
        // A failed analysis must not stop the alert itself from being saved and notified.
        this.#o.logger?.warn({ err, alert: fp }, 'onFiring failed');
      }
    }
    return { ...state, alerts };
  }

  async #save(model: string, state: ManagerState): Promise<void> {
    await this.#store.setAlertState(model, state);
  }

  async #deliver(notifications: Notification[]): Promise<DeliveryRecord[]> {
    if (notifications.length === 0) return [];
    const records = await deliverNotifications(notifications, this.#notifiers, {
      ...this.#o.delivery,
      ...(this.#o.logger ? { logger: this.#o.logger } : {}),
    });
    await this.#store.insertAlertDeliveries(records);
    return records;
  }
}
