/**
 * A segment's contribution to an error-rate rise, as the segment tables show it (the dashboard's RCA
 * page and the HTML report). Pure.
 *
 * The slice step stores `shareExplained` = excess / net rise, with
 *   excess   = n_S · (ē_S − ē_S,baseline)   (errors above what the segment's baseline rate predicts)
 *   net rise = N · (ē − ē_baseline)          (the whole window's excess)
 * The share exceeds 1 when the error rate fell elsewhere: the net rise nets those falls out, so one
 * segment can carry more excess errors than the whole window. Shown raw it reads "161 % of the rise";
 * here the excess is given as a count, the share is capped at 100 % and the capped rows are flagged
 * so that the table can say why. Rows overlap (nested segments), so shares are not summed.
 */

/** The stored fields of a segment row (`RcaCharts.segments`, or a segment hypothesis's figures). */
export interface SegmentRowFigures {
  n: number;
  rateNow: number;
  /** Null (NaN in JSON) when the segment is absent from the baseline. */
  rateBaseline: number | null;
  /** excess / net rise; null when the overall rate did not rise. */
  shareExplained: number | null;
}

/** What a segment table shows of one row. */
export interface SegmentContribution {
  /** n · (rate now − baseline rate); null when neither the baseline rate nor the net rise is known. */
  excessErrors: number | null;
  /** Share of the net rise, within [0, 1]; null when the overall rate did not rise. */
  share: number | null;
  /** The segment's excess errors exceed the net rise (the error rate fell in other rows). */
  beyondNetRise: boolean;
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The rows' contributions and the window's net rise (recovered as excess / shareExplained from the
 * first row with a baseline rate; null when no row allows it). A segment absent from the baseline
 * was compared with the overall baseline rate: its excess is shareExplained · net rise.
 */
export function segmentContributions(rows: readonly SegmentRowFigures[]): {
  netRise: number | null;
  rows: SegmentContribution[];
} {
  const own = (r: SegmentRowFigures) =>
    finite(r.rateBaseline) && finite(r.rateNow) ? r.n * (r.rateNow - r.rateBaseline) : null;
  const anchor = rows.find((r) => own(r) !== null && finite(r.shareExplained) && r.shareExplained !== 0);
  const netRise = anchor ? (own(anchor) as number) / (anchor.shareExplained as number) : null;
  return {
    netRise,
    rows: rows.map((r) => {
      const share = finite(r.shareExplained) ? r.shareExplained : null;
      return {
        excessErrors: own(r) ?? (share !== null && netRise !== null ? share * netRise : null),
        share: share === null ? null : Math.min(1, Math.max(0, share)),
        beyondNetRise: share !== null && share > 1,
      };
    }),
  };
}

/** An excess error count as a table shows it: rounded, signed ("+76", "−3"), "—" when unknown. */
export function formatExcessErrors(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  return `${v < 0 ? '−' : '+'}${Math.round(Math.abs(v)).toLocaleString('en-US')}`;
}

/** The note under a table with capped rows: why a share is shown as 100 %. */
export function beyondNetRiseNote(netRise: number | null): string {
  const net = netRise === null ? '' : ` of ${Math.round(netRise)} errors`;
  return `More excess errors than the window's net rise${net}: the error rate fell in other rows, so each such segment alone accounts for all of the net rise.`;
}
