/** What a check that is not healthy sees of OpenClaw's own lifecycle (openclaw/lifecycle.ts). */
export interface OpenClawSeen {
  /** OpenClaw's lifecycle lock held by a live owner that is not a gateway: doctor's SQLite
   * maintenance (`sqlite-maintenance`), `agent-embedded`, `skill-workshop-apply`. */
  lockRole: { role: string; pid: number } | null;
  /** An `update_runs` row `running` whose driver is alive (pid and start time). */
  update: { runId: string; phase: string | null; driverPid: number } | null;
  /** Why OpenClaw's update records could not be read (locked or corrupt database, no
   * node:sqlite), when they could not: an update may run unseen. */
  unread?: string;
  /** The gateway answers `gateway-suspending`: an update drains it. */
  suspended: boolean;
  /** An update successor: a gateway of ours whose parent is a gateway of ours (update.run keeps
   * the old pid alive as the parent of the new one). One gateway, never an orphan. */
  successor: { parent: number; child: number } | null;
  /** The last boot row (read only when nothing listens): how the last gateway ended. */
  lastBoot: LastBoot | null;
  /** The gateway's own last words that its installation was replaced (its log), when the boot
   * ledger could not be read. */
  replacedLine: { at: number; text: string } | null;
}

export interface LastBoot {
  pid: number;
  startedAtMs: number;
  completedAtMs: number | null;
  outcome: string | null;
  reason: string | null;
}
