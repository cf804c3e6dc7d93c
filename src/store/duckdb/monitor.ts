/**
 * What the monitor reads and writes in DuckDB: metric points (upserted by key), per-window
 * fingerprints (counts pushed into SQL), columnar event reads (typed arrays streamed chunk by
 * chunk, never row objects), and a small JSON state per model (the monitor's watermark).
 * Callers hold the connection lock.
 */
import type { DuckDBMaterializedResult, DuckDBVector } from '@duckdb/node-api';
import { fromIndexed, type IndexedPoint, MetricPointIndex, type SeriesKey } from '../metric-index.js';
import type {
  EventColumns,
  EventColumnsOptions,
  MetricCatalog,
  MetricPoint,
  MetricPointQuery,
  Model,
  StageLatency,
  TimeRange,
  WindowFingerprint,
  WindowSize,
} from '../store.js';
import type { LockedConnection } from './connection.js';
import { featureColumn, Params, predictionTable } from './sql.js';

/** DDL of the monitor's tables (metric points ordered by window start for range scans). */
export const monitorDdl = [
  `CREATE TABLE IF NOT EXISTS metric_points (model VARCHAR NOT NULL, version VARCHAR NOT NULL,
     window_size VARCHAR NOT NULL, window_start BIGINT NOT NULL, segment VARCHAR NOT NULL, metric VARCHAR NOT NULL,
     value DOUBLE, ci_low DOUBLE, ci_high DOUBLE, n DOUBLE NOT NULL, status VARCHAR NOT NULL,
     estimated BOOLEAN NOT NULL, baseline DOUBLE, significant BOOLEAN, detail VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS monitor_state (model VARCHAR NOT NULL, key VARCHAR NOT NULL, value_json VARCHAR NOT NULL,
     PRIMARY KEY (model, key))`,
];

const sizeMs: Record<WindowSize, number> = { hour: 3_600_000, day: 86_400_000 };

const finiteOrNull = (v: number | null | undefined): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : v;

/**
 * Upserts points: deletes the stored points with the same keys, then appends, in the caller's
 * transaction (so recomputing a window replaces its points).
 */
export async function insertMetricPoints(conn: LockedConnection, points: MetricPoint[]): Promise<number> {
  if (points.length === 0) return 0;
  const key = (f: (p: MetricPoint) => string) => points.map(f);
  await conn.run(
    `DELETE FROM metric_points m USING (SELECT unnest($1) AS model, unnest($2) AS version, unnest($3) AS window_size,
       unnest($4) AS window_start, unnest($5) AS segment, unnest($6) AS metric) k
     WHERE m.model = k.model AND m.version = k.version AND m.window_size = k.window_size
       AND m.window_start = k.window_start AND m.segment = k.segment AND m.metric = k.metric`,
    new Params()
      .strList(key((p) => p.model))
      .strList(key((p) => p.version))
      .strList(key((p) => p.window.size))
      .intList(points.map((p) => p.window.startMs))
      .strList(key((p) => p.segment))
      .strList(key((p) => p.metric)),
  );
  await appendMetricPoints(conn, points);
  return points.length;
}

async function appendMetricPoints(conn: LockedConnection, points: MetricPoint[]): Promise<void> {
  if (points.length === 0) return;
  const appender = await conn.raw.createAppender('metric_points');
  const optionalDouble = (v: number | null | undefined) => {
    const x = finiteOrNull(v);
    if (x === null) appender.appendNull();
    else appender.appendDouble(x);
  };
  try {
    for (const p of points) {
      appender.appendVarchar(p.model);
      appender.appendVarchar(p.version);
      appender.appendVarchar(p.window.size);
      appender.appendBigInt(BigInt(p.window.startMs));
      appender.appendVarchar(p.segment);
      appender.appendVarchar(p.metric);
      optionalDouble(p.value);
      optionalDouble(p.ciLow);
      optionalDouble(p.ciHigh);
      appender.appendDouble(p.n);
      appender.appendVarchar(p.status);
      appender.appendBoolean(p.estimated);
      optionalDouble(p.baseline);
      if (p.significant === undefined) appender.appendNull();
      else appender.appendBoolean(p.significant);
      if (p.detail === undefined) appender.appendNull();
      else appender.appendVarchar(JSON.stringify(p.detail));
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/**
 * Deletes the model's points whose window starts in the range (a range scan, pruned by the
 * window_start zone maps), then appends `points`; in the caller's transaction. Recomputing a
 * window this way also drops its segments that left the top-N.
 */
export async function replaceMetricPoints(
  conn: LockedConnection,
  model: string,
  range: TimeRange,
  points: MetricPoint[],
): Promise<number> {
  for (const p of points) {
    if (p.model !== model || p.window.startMs < range.fromMs || p.window.startMs >= range.toMs)
      throw new RangeError(
        `invalid point: ${p.model} ${p.metric} at ${p.window.startMs} (expected model ${model}, window start in [${range.fromMs}, ${range.toMs}))`,
      );
  }
  await conn.run(
    'DELETE FROM metric_points WHERE model = $1 AND window_start >= $2 AND window_start < $3',
    new Params().str(model).int(range.fromMs).int(range.toMs),
  );
  await appendMetricPoints(conn, points);
  return points.length;
}

/**
 * Metric points matching the query, by metric, segment, version, window size and start. The metric
 * list and the detail choice are filtered in SQL; the result is read column by column from DuckDB's
 * chunks (no row objects), and `detail` JSON is parsed only for the points that keep it.
 */
export async function queryMetricPoints(conn: LockedConnection, q: MetricPointQuery): Promise<MetricPoint[]> {
  const p = new Params().str(q.model);
  const where = ['model = $1'];
  const param = () => `$${p.values.length}`;
  const eq = (column: string, v: string | undefined) => {
    if (v === undefined) return;
    p.str(v);
    where.push(`${column} = ${param()}`);
  };
  eq('metric', q.metric);
  eq('segment', q.segment);
  eq('window_size', q.window);
  eq('version', q.version);
  if (q.fromMs !== undefined) {
    p.int(q.fromMs);
    where.push(`window_start >= ${param()}`);
  }
  if (q.toMs !== undefined) {
    p.int(q.toMs);
    where.push(`window_start < ${param()}`);
  }
  const prefixMatch = (prefixes: string[]) =>
    prefixes.map((x) => {
      p.str(x);
      return `starts_with(metric, ${param()})`;
    });
  if (q.metrics !== undefined || q.metricPrefixes !== undefined) {
    const any: string[] = [];
    if (q.metrics && q.metrics.length > 0) {
      p.strList(q.metrics);
      any.push(`list_contains(${param()}, metric)`);
    }
    any.push(...prefixMatch(q.metricPrefixes ?? []));
    where.push(any.length === 0 ? 'false' : `(${any.join(' OR ')})`);
  }
  const keep = q.detail ?? true;
  const detail =
    keep === true
      ? 'detail'
      : keep === false || keep.length === 0
        ? 'NULL::VARCHAR'
        : `CASE WHEN ${prefixMatch(keep).join(' OR ')} THEN detail END`;
  let last = '';
  if (q.last !== undefined) {
    if (!Number.isInteger(q.last) || q.last < 1)
      throw new RangeError(`invalid last: ${q.last} (expected a positive integer)`);
    p.int(q.last);
    last = ` QUALIFY row_number() OVER (PARTITION BY metric, segment, version, window_size ORDER BY window_start DESC) <= ${param()}`;
  }
  const sql = `SELECT ${pointColumns}, ${detail}
     FROM metric_points WHERE ${where.join(' AND ')}${last}
     ORDER BY metric, segment, version, window_size, window_start`;
  const out: MetricPoint[] = [];
  await readPoints(await conn.result(sql, p), (key, point) =>
    out.push(fromIndexed(q.model, key, point, true)),
  );
  return out;
}

/** The columns `readPoints` reads, in its order (then the detail, or NULL). */
const pointColumns = `metric, segment, version, window_size, window_start::DOUBLE, value, ci_low, ci_high, n::DOUBLE,
       status, estimated, baseline, significant`;

/** Visits the points of a result of `pointColumns` and a detail column, chunk by chunk (no row objects). */
async function readPoints(
  result: DuckDBMaterializedResult,
  visit: (key: SeriesKey, point: IndexedPoint) => void,
): Promise<void> {
  let key: SeriesKey | undefined;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const [
      metric,
      segment,
      version,
      size,
      start,
      value,
      ciLow,
      ciHigh,
      n,
      status,
      estimated,
      baseline,
      sig,
      det,
    ] = Array.from({ length: 14 }, (_, i) => chunk.getColumnVector(i) as DuckDBVector);
    for (let i = 0; i < chunk.rowCount; i++) {
      const m = metric.getItem(i) as string;
      const s = segment.getItem(i) as string;
      const v = version.getItem(i) as string;
      const w = size.getItem(i) as WindowSize;
      // rows come in series order: one key object per series
      if (!key || key.metric !== m || key.segment !== s || key.version !== v || key.size !== w)
        key = { metric: m, segment: s, version: v, size: w };
      visit(key, {
        startMs: start.getItem(i) as number,
        value: value.getItem(i) as number | null,
        ciLow: ciLow.getItem(i) as number | null,
        ciHigh: ciHigh.getItem(i) as number | null,
        n: n.getItem(i) as number,
        status: status.getItem(i) as MetricPoint['status'],
        estimated: estimated.getItem(i) === true,
        baseline: baseline.getItem(i) as number | null,
        significant: sig.getItem(i) as boolean | null,
        detail: det.getItem(i) as string | null,
      });
    }
  }
}

/**
 * Reads every metric point of a model into a new {@link MetricPointIndex}, chunk by chunk in series
 * order (so each series is appended already sorted; detail kept as its JSON text).
 */
export async function loadMetricIndex(conn: LockedConnection, model: string): Promise<MetricPointIndex> {
  const index = new MetricPointIndex(model);
  const result = await conn.result(
    `SELECT ${pointColumns}, detail FROM metric_points WHERE model = $1
     ORDER BY metric, segment, version, window_size, window_start`,
    new Params().str(model),
  );
  await readPoints(result, (key, point) => index.put(key, point));
  return index;
}

/** The metrics (with window sizes), segments, versions and time span stored for a model. */
export async function queryMetricCatalog(conn: LockedConnection, model: string): Promise<MetricCatalog> {
  const p = new Params().str(model);
  const metrics = await conn.all(
    `SELECT metric, list(DISTINCT window_size ORDER BY window_size) AS windows, bool_or(estimated) AS estimated,
       count(*)::DOUBLE AS points FROM metric_points WHERE model = $1 GROUP BY metric ORDER BY metric`,
    p,
  );
  const distinct = async (column: string) =>
    (await conn.all(`SELECT DISTINCT ${column} AS v FROM metric_points WHERE model = $1 ORDER BY 1`, p)).map(
      (r) => String(r.v),
    );
  const span = await conn.all(
    'SELECT min(window_start)::DOUBLE AS lo, max(window_start)::DOUBLE AS hi FROM metric_points WHERE model = $1',
    p,
  );
  return {
    metrics: metrics.map((r) => ({
      metric: String(r.metric),
      windows: (r.windows as { items: unknown[] }).items.map(String) as WindowSize[],
      estimated: r.estimated === true,
      points: Number(r.points),
    })),
    segments: await distinct('segment'),
    versions: await distinct('version'),
    fromMs: span[0].lo === null ? null : Number(span[0].lo),
    toMs: span[0].hi === null ? null : Number(span[0].hi),
  };
}

/**
 * Per-stage latency quantiles per window, aggregated in SQL (quantile_cont, linear interpolation
 * as NumPy's default): the stages JSON of each row becomes a MAP whose entries are unnested; one
 * grouping per version and one over all versions ('*').
 */
export async function queryStageLatency(
  conn: LockedConnection,
  model: Model,
  size: WindowSize,
  range: TimeRange,
): Promise<StageLatency[]> {
  const rows = await conn.all(
    `SELECT start::DOUBLE AS start, coalesce(version, '*') AS version, stage, count(*)::DOUBLE AS n,
       quantile_cont(v, [0.5, 0.95, 0.99]) AS q
     FROM (SELECT (epoch_ms(ts) // $1) * $1 AS start, version, unnest(map_keys(m)) AS stage, unnest(map_values(m)) AS v
       FROM (SELECT ts, version, json_transform(stages, '"MAP(VARCHAR, DOUBLE)"') AS m FROM ${predictionTable(model.id)}
             WHERE stages IS NOT NULL AND ts >= epoch_ms($2) AND ts < epoch_ms($3)))
     WHERE v IS NOT NULL
     GROUP BY GROUPING SETS ((start, version, stage), (start, stage)) ORDER BY 1, 2, 3`,
    new Params().int(sizeMs[size]).int(range.fromMs).int(range.toMs),
  );
  return rows.map((r) => {
    const q = (r.q as { items: unknown[] }).items.map(Number);
    return {
      startMs: Number(r.start),
      version: String(r.version),
      stage: String(r.stage),
      n: Number(r.n),
      p50: q[0],
      p95: q[1],
      p99: q[2],
    };
  });
}

/** Event, row and label counts per window (events from the 100 % hourly counters). */
export async function queryWindowFingerprints(
  conn: LockedConnection,
  model: Model,
  size: WindowSize,
  range?: TimeRange,
): Promise<WindowFingerprint[]> {
  const ms = sizeMs[size];
  const p = new Params().str(model.id).int(ms);
  let whereRows = '';
  let whereHours = '';
  if (range) {
    p.int(range.fromMs).int(range.toMs);
    whereRows = ' WHERE p.ts >= epoch_ms($3) AND p.ts < epoch_ms($4)';
    whereHours = ' AND hour >= epoch_ms($3) AND hour < epoch_ms($4)';
  }
  const rows = await conn.all(
    `WITH r AS (
       SELECT (epoch_ms(p.ts) // $2) * $2 AS start, count(*) AS rows, count(l.event_id) AS labels
       FROM ${predictionTable(model.id)} p LEFT JOIN labels l ON l.model = $1 AND l.event_id = p.event_id${whereRows}
       GROUP BY 1),
     h AS (SELECT (epoch_ms(hour) // $2) * $2 AS start, sum(n) AS events FROM hourly WHERE model = $1${whereHours} GROUP BY 1)
     SELECT coalesce(r.start, h.start)::DOUBLE AS start, coalesce(h.events, 0)::DOUBLE AS events,
       coalesce(r.rows, 0)::DOUBLE AS rows, coalesce(r.labels, 0)::DOUBLE AS labels
     FROM r FULL OUTER JOIN h ON r.start = h.start ORDER BY 1`,
    p,
  );
  return rows.map((r) => ({
    startMs: Number(r.start),
    events: Number(r.events),
    rows: Number(r.rows),
    labels: Number(r.labels),
  }));
}

/**
 * Reads the stored rows of a range as typed columns, streamed chunk by chunk (2 048 rows) so no
 * row objects are built. Strings come as dictionary codes (see below); booleans as the
 * categories 'true'/'false'; tags through json_extract_string; labels by a join on event id.
 */
export async function queryEventColumns(
  conn: LockedConnection,
  model: Model,
  range: TimeRange,
  options: EventColumnsOptions = {},
): Promise<EventColumns> {
  const withLabels = options.withLabels ?? true;
  const specs = model.schema.features;
  const names = options.features ?? specs.map((f) => f.name);
  const features = names.map((name) => {
    const spec = specs.find((f) => f.name === name);
    if (!spec)
      throw new RangeError(
        `invalid feature: ${name} (expected one of ${specs.map((f) => f.name).join(', ')})`,
      );
    return spec;
  });
  const tags = options.tags ?? [];
  const p = new Params().str(model.id).int(range.fromMs).int(range.toMs).str(model.schema.positiveClass);
  // String columns (version, categorical/boolean features, tags) travel as dictionary codes: the
  // distinct values of the range are listed first, then each row's code comes from a hash join
  // on that list, so the rows carry integers and each string is decoded once.
  const stringExprs = [
    'p.version',
    ...features
      .filter((f) => f.type !== 'numeric')
      .map((f) =>
        f.type === 'boolean' ? `p.${featureColumn(f.name)}::VARCHAR` : `p.${featureColumn(f.name)}`,
      ),
    ...tags.map((t) => {
      p.str(`$."${t.replaceAll('"', '')}"`);
      return `json_extract_string(p.tags, $${p.values.length})`;
    }),
  ];
  const inRange = `p.ts >= epoch_ms($2) AND p.ts < epoch_ms($3) AND $1 IS NOT NULL AND $4 IS NOT NULL`;
  const lists = await conn.all(
    `SELECT count(*)::DOUBLE AS n, ${stringExprs.map((e, k) => `list(DISTINCT ${e}) FILTER (WHERE ${e} IS NOT NULL) AS d${k}`).join(', ')}
     FROM ${predictionTable(model.id)} p WHERE ${inRange}`,
    p,
  );
  const n = Number(lists[0].n);
  const dictionaries = stringExprs.map((_, k) => {
    const l = lists[0][`d${k}`] as { items: unknown[] } | null;
    return l === null ? [] : l.items.map(String);
  });
  const joins = stringExprs.map((e, k) => {
    p.strList(dictionaries[k]);
    const d = `$${p.values.length}`;
    return ` LEFT JOIN (SELECT unnest(${d}) AS v, generate_subscripts(${d}, 1) - 1 AS code) d${k} ON d${k}.v = ${e}`;
  });
  const codes = stringExprs.map((_, k) => `, coalesce(d${k}.code, -1)::INTEGER`).join('');
  const numeric = features.filter((f) => f.type === 'numeric');
  const numericSelect = numeric.map((f) => `, coalesce(p.${featureColumn(f.name)}, 'NaN'::DOUBLE)`).join('');
  const labelSelect = withLabels
    ? `, CASE WHEN l.label IS NULL THEN -1 WHEN l.label = $4 THEN 1 ELSE 0 END,
       coalesce(l.delay_ms, 'NaN'::DOUBLE), coalesce(epoch_ms(l.received_at)::DOUBLE, 'NaN'::DOUBLE)`
    : ", -1, 'NaN'::DOUBLE, 'NaN'::DOUBLE";
  // Only the labels of this range's events enter the join's hash table (not all of the model's).
  const labelJoin = withLabels
    ? ` LEFT JOIN (SELECT event_id, label, delay_ms, received_at FROM labels WHERE model = $1 AND event_id IN
         (SELECT event_id FROM ${predictionTable(model.id)} WHERE ts >= epoch_ms($2) AND ts < epoch_ms($3))) l
       ON l.event_id = p.event_id`
    : '';
  const sql = `SELECT epoch_ms(p.ts)::DOUBLE, p.score, p.latency_ms, p.weight, (p.prediction = $4)::INTEGER${labelSelect}
      ${numericSelect}${codes}
    FROM ${predictionTable(model.id)} p${labelJoin}${joins.join('')}
    WHERE ${inRange} ORDER BY p.ts`;
  const out: EventColumns = {
    n,
    timeMs: new Float64Array(n),
    score: new Float64Array(n),
    latencyMs: new Float64Array(n),
    weight: new Float64Array(n),
    predicted: new Int8Array(n),
    label: new Int8Array(n),
    labelDelayMs: new Float64Array(n),
    labelReceivedMs: new Float64Array(n),
    version: { kind: 'dictionary', codes: new Int32Array(n), dictionary: dictionaries[0] },
    features: {},
    tags: {},
  };
  const numericColumns = numeric.map(() => new Float64Array(n));
  const codeColumns = stringExprs.map((_, k) => (k === 0 ? out.version.codes : new Int32Array(n)));
  const doubles = [out.timeMs, out.score, out.latencyMs, out.weight];
  // Materialized (run, not stream): the whole query executes in one call on DuckDB's threads, so a
  // read issued ahead (the monitor prefetches the next chunk) progresses while JS computes.
  const result = await conn.raw.run(sql, p.values, p.types);
  let offset = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const rows = Math.min(chunk.rowCount, n - offset);
    const col = (i: number) => chunk.getColumnVector(i) as DuckDBVector;
    doubles.forEach((target, c) => {
      readDoubles(col(c), target, offset, rows);
    });
    readInts(col(4), out.predicted, offset, rows);
    readInts(col(5), out.label, offset, rows);
    readDoubles(col(6), out.labelDelayMs, offset, rows);
    readDoubles(col(7), out.labelReceivedMs, offset, rows);
    numericColumns.forEach((target, j) => {
      readDoubles(col(8 + j), target, offset, rows);
    });
    codeColumns.forEach((target, k) => {
      readInts(col(8 + numeric.length + k), target, offset, rows);
    });
    offset += rows;
  }
  let k = 1;
  features.forEach((f) => {
    if (f.type === 'numeric') {
      out.features[f.name] = { kind: 'numeric', values: numericColumns[numeric.indexOf(f)] };
    } else {
      out.features[f.name] = { kind: 'dictionary', codes: codeColumns[k], dictionary: dictionaries[k] };
      k++;
    }
  });
  tags.forEach((t) => {
    out.tags[t] = { kind: 'dictionary', codes: codeColumns[k], dictionary: dictionaries[k] };
    k++;
  });
  return out;
}

function readDoubles(v: DuckDBVector, target: Float64Array, offset: number, rows: number): void {
  for (let i = 0; i < rows; i++) {
    const x = v.getItem(i);
    target[offset + i] = x === null ? Number.NaN : Number(x);
  }
}

function readInts(v: DuckDBVector, target: Int8Array | Int32Array, offset: number, rows: number): void {
  for (let i = 0; i < rows; i++) target[offset + i] = Number(v.getItem(i));
}

/** A model's monitor state, or undefined. */
export async function getMonitorState(conn: LockedConnection, model: string, key: string): Promise<unknown> {
  const rows = await conn.all(
    'SELECT value_json FROM monitor_state WHERE model = $1 AND key = $2',
    new Params().str(model).str(key),
  );
  return rows.length > 0 ? JSON.parse(String(rows[0].value_json)) : undefined;
}

/** Saves a model's monitor state. */
export async function setMonitorState(
  conn: LockedConnection,
  model: string,
  key: string,
  value: unknown,
): Promise<void> {
  await conn.run(
    'INSERT OR REPLACE INTO monitor_state VALUES ($1, $2, $3)',
    new Params().str(model).str(key).str(JSON.stringify(value)),
  );
}
