import { out } from '../lib/cli/terminal.js';
import type { Command } from '../lib/cli/command.js';
import { pathFlags, type Flags } from '../lib/cli/args.js';
import { ago, details, duration, evidenceLines, localTime, mib } from '../lib/cli/human.js';
import { loadConfig } from '../lib/config/load.js';
import { gatherStatus, type StatusReport } from '../lib/status.js';
import { formatChannels } from '../lib/channels/status.js';
import { formatPressure } from '../lib/status-pressure.js';
import { eventLogOptions } from '../lib/files.js';
import { redactDeep } from '../lib/redact.js';

export const command: Command = {
  help: `Usage: openclaw-watchdog status [--all] [--verbose] [--json]

The gateway as a live probe sees it now, the pid on its port, restarts and backoff, current
orphans and their memory, any pause, the last check, and the recent events.
Exit 0 when the gateway is healthy, starting, or stopped by the user (openclaw gateway stop,
systemctl --user stop), 1 otherwise.
One line per recent event; with --verbose, its values uncut and an outage's evidence (the
gateway's last lines) under it.
With --all: one line per gateway that has a watchdog block in your crontab (state dir, port,
state, last check); exit 0 when every one is healthy, starting or stopped by the user.`,
  options: { all: { type: 'boolean' } },
  async run(flags: Flags) {
    if (flags.all) {
      const { runStatusAll } = await import('../lib/status-all.js');
      const { withCrontab } = await import('../lib/cron/crontab.js');
      return withCrontab(() => runStatusAll(flags));
    }
    const config = loadConfig(pathFlags(flags), process.env);
    const verbose = Boolean(flags.verbose);
    const status = redactDeep(await gatherStatus(config), eventLogOptions(config).secrets);
    out(flags.json ? `${JSON.stringify(status)}\n` : formatStatus(status, Date.now(), verbose));
    return ['healthy', 'starting', 'stopped'].includes(status.gateway.state) ? 0 : 1;
  },
};

/** A summary a person reads in two seconds. */
export function formatStatus(s: StatusReport, now = Date.now(), verbose = false): string {
  const g = s.gateway;
  const lines: string[] = [];
  const up = g.uptimeSec !== null ? `, up ${duration(g.uptimeSec)}` : '';
  const pid = g.pid !== null ? `, pid ${g.pid}` : '';
  const extra = [
    g.probe.version && `v${g.probe.version}`,
    g.probe.ready === false && `not ready: ${g.probe.failing.join(', ')}`,
  ]
    .filter(Boolean)
    .join(', ');
  lines.push(
    `gateway   ${g.state.toUpperCase()}  ${g.host}:${g.port}${pid}${up}  (${g.probe.reason}, ${g.probe.ms} ms${extra ? `; ${extra}` : ''})`,
  );
  const r = s.restarts;
  const next = r.nextAllowedAt
    ? `; ${r.deferred ? 'a restart waits for the backoff, ' : ''}next allowed ${localTime(r.nextAllowedAt)}`
    : '';
  lines.push(
    `restarts  ${r.total} total, ${r.consecutive} in a row${r.lastAt ? `; last ${ago(r.lastAt, now)}` : ''}${next}`,
  );
  const o = s.orphans;
  lines.push(
    o.count === 0
      ? 'orphans   none'
      : `orphans   ${o.count} holding ${mib(o.rssBytes)}: ${o.list
          .slice(0, 5)
          .map((x) => `${x.pid} ${x.name}`)
          .join(', ')}${o.count > 5 ? ', …' : ''}`,
  );
  lines.push(...formatPressure(s.pressure));
  lines.push(
    `paused    ${s.paused ? `until ${localTime(s.paused.until)}${s.paused.reason ? ` (${s.paused.reason})` : ''}` : 'no'}`,
  );
  lines.push(`outbox    ${outboxLine(s.outbox, now)}`);
  if (s.stoppedByUser) {
    const by =
      s.stoppedByUser.source === 'systemd' ? 'systemctl --user stop' : 'openclaw gateway stop';
    lines.push(
      `stopped   by the user ${ago(s.stoppedByUser.at, now)} (${by}); not restarted until it is started again`,
    );
  }
  if (s.safeMode) {
    const m = s.safeMode;
    const since = m.since ? ` since ${localTime(m.since)}` : '';
    const boots =
      m.uncleanBoots !== null ? `; ${m.uncleanBoots} unclean boot(s) in the last 300 s` : '';
    const sent = m.recoverSentAt ? `; recovery restart sent ${ago(m.recoverSentAt, now)}` : '';
    lines.push(
      `safe mode ${m.channels.join(', ')} suppressed by OpenClaw's crash-loop breaker${since}${boots}${sent}`,
    );
  }
  const oc = s.openclaw;
  if (oc.atWork) {
    const what =
      oc.atWork.kind === 'updating' ? 'OpenClaw updating itself' : 'OpenClaw maintenance (doctor)';
    const stuck = oc.atWork.stuck
      ? '; past update.maxSec (update_stuck said), supervised as usual'
      : '; left alone';
    lines.push(
      `${oc.atWork.kind === 'updating' ? 'updating ' : 'maint    '} ${what} since ${ago(oc.atWork.since, now)}${stuck}`,
    );
  }
  if (oc.lastUpdate)
    lines.push(
      `updated   ${ago(oc.lastUpdate.at, now)}${oc.lastUpdate.from ? ` from ${oc.lastUpdate.from}` : ''}${oc.lastUpdate.to ? ` to ${oc.lastUpdate.to}` : ''}`,
    );
  for (const d of s.disk)
    lines.push(
      `disk      ${mib(d.freeBytes)} free (${d.freePercent} %) for ${d.paths.join(', ')}${d.low ? '  LOW' : ''}`,
    );
  lines.push(formatChannels(s.channels, now));
  lines.push(`checked   ${ago(s.lastCheckAt, now)}${s.lastVerdict ? ` (${s.lastVerdict})` : ''}`);
  const recent = s.recentEvents.slice(-5);
  recent.forEach((e, i) => {
    const line = `${i === 0 ? 'recent   ' : '         '} ${localTime(e.ts)} ${String(e.event)} ${details(e, verbose)}`;
    lines.push(line.trimEnd(), ...(verbose ? evidenceLines(e, '            ') : []));
  });
  return `${lines.join('\n')}\n`;
}

/** `empty`, or how many alerts wait since when, per channel why and until when. */
function outboxLine(o: StatusReport['outbox'], now: number): string {
  const dropped = o.dropped ? `; ${o.dropped} dropped` : '';
  if (!o.alerts) return `empty${dropped}`;
  const channels = o.channels
    .map((c) => `${c.label}: ${c.alerts} (${c.error}; retry ${localTime(c.nextAttemptAt)})`)
    .join(', ');
  return `${o.alerts} undelivered, oldest from ${ago(o.oldestAt, now)}${dropped}${channels ? `; ${channels}` : ''}`;
}
