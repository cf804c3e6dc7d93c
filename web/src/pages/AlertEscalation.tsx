/** The alert page's escalation steps (levels reached, when, who) and notification history. */
import type { AlertDetail } from '../alerts-data.js';
import { TableHead } from '../components/TableHead.js';
import { escalationSteps } from '../escalation.js';
import { time } from '../format.js';

/** Escalation: the policy, the current level, and the steps of the recent episodes. */
export function Escalation(props: { detail: AlertDetail }) {
  const a = props.detail.alert;
  // the detail carries the policy (include=policy)
  const policy = props.detail.policy ?? undefined;
  const steps = escalationSteps(a, policy, props.detail.notifications).slice(0, 20);
  return (
    <>
      <h2>Escalation</h2>
      <p data-testid="escalation-now">
        {a.ack
          ? `Acknowledged by ${a.ack.by} at ${time(a.ack.atMs)}: escalation stopped.`
          : a.escalation
            ? `At level ${a.escalation.level} of policy ${a.escalation.policy ?? 'default'} since ${time(a.escalation.sinceMs)}.`
            : 'Not escalating (not firing).'}
        {policy &&
          ` Policy ${policy.id}: ${policy.levels
            .map(
              (l, i) =>
                `L${i} ${l.targets.join(', ')}${l.timeoutMs !== undefined ? ` (${Math.round(l.timeoutMs / 60_000)} min)` : ''}`,
            )
            .join(' → ')}.`}
      </p>
      {steps.length === 0 ? (
        <p>No episode yet.</p>
      ) : (
        <table className="grid" data-testid="escalation">
          <TableHead columns={['episode fired', 'level', 'reached', 'targets', 'acknowledged']} />
          <tbody>
            {steps.map((s) => (
              <tr key={`${s.firedAtMs}-${s.level}`}>
                <td>{time(s.firedAtMs)}</td>
                <td data-testid="escalation-level">L{s.level}</td>
                <td>{time(s.atMs)}</td>
                <td>{s.targets.join(', ') || '—'}</td>
                <td>{s.acknowledgedAtMs === null ? '—' : time(s.acknowledgedAtMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Notification history: each message that carried the alert, with its delivery per target. */
export function NotificationHistory(props: { detail: AlertDetail }) {
  const { notifications, deliveries } = props.detail;
  const a = props.detail.alert;
  if (notifications.length === 0) return <p>No notification has carried this alert yet.</p>;
  return (
    <table className="grid" data-testid="notifications">
      <TableHead columns={['at', 'reason', 'group status', 'level', 'targets', 'deliveries']} />
      <tbody>
        {/* newest first; the log is in sending order, so of two sent at once the later comes first */}
        {[...notifications]
          .reverse()
          .sort((x, y) => y.atMs - x.atMs)
          .map((n) => {
            const mine = n.alerts.find((x) => x.fingerprint === a.fingerprint);
            const sent = deliveries
              .filter((d) => d.notificationId === n.id)
              .sort((x, y) => n.targets.indexOf(x.target) - n.targets.indexOf(y.target));
            return (
              <tr key={n.id} data-testid="notification">
                <td>{time(n.atMs)}</td>
                <td>{n.reason}</td>
                <td>{n.status}</td>
                <td>{mine ? `L${mine.escalationLevel}` : '—'}</td>
                <td>{n.targets.join(', ')}</td>
                <td>
                  {sent.length === 0
                    ? 'not delivered yet'
                    : sent
                        .map(
                          (d) =>
                            `${d.target} ${d.ok ? 'ok' : `failed${d.error ? ` (${d.error})` : ''}`}${d.attempts > 1 ? ` after ${d.attempts} tries` : ''}`,
                        )
                        .join('; ')}
                </td>
              </tr>
            );
          })}
      </tbody>
    </table>
  );
}
