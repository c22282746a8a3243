/** `doctor` for one state dir or every one in the crontab: gather, diagnose, print, exit code. */
import { err, out } from '../cli/terminal.js';
import { parseCrontab, shQuote } from '../cron/block.js';
import { readCrontab } from '../cron/crontab.js';
import { argsToFlags, blockStateDir, CARRIED } from '../cron/install.js';
import { launcherPath, readLauncher } from '../cron/launcher.js';
import { errorMessage } from '../errors.js';
import { redactText } from '../redact.js';
import { gatherFacts, type DoctorInput } from './gather.js';
import { diagnose, doctorExit, formatFindings } from './run.js';
import type { Finding } from './types.js';

export interface DoctorReport {
  stateDir: string;
  ok: boolean;
  findings: Finding[];
}

export async function doctorReport(input: DoctorInput): Promise<DoctorReport> {
  const facts = await gatherFacts(input);
  const findings = diagnose(facts).map((f) => ({
    ...f,
    message: redactText(f.message),
    ...(f.fix ? { fix: redactText(f.fix) } : {}),
  }));
  return { stateDir: facts.stateDir, ok: doctorExit(findings) === 0, findings };
}

export async function doctorOne(input: DoctorInput, json: boolean): Promise<number> {
  const report = await doctorReport(input);
  out(json ? `${JSON.stringify(report)}\n` : formatFindings(report.findings));
  return report.ok ? 0 : 1;
}

/** Every state dir with a block in the crontab, each with its launcher's environment and flags. */
export async function doctorAll(env: NodeJS.ProcessEnv, json: boolean): Promise<number> {
  let blocks;
  try {
    blocks = parseCrontab(await readCrontab()).blocks;
  } catch (error) {
    err(`openclaw-watchdog doctor --all: ${errorMessage(error)}\n`);
    return 1;
  }
  if (blocks.length === 0) {
    out(
      json
        ? '[]\n'
        : 'fail  no openclaw-watchdog block in your crontab; fix: openclaw-watchdog install-cron\n',
    );
    return 1;
  }
  const reports: DoctorReport[] = [];
  for (const b of blocks) {
    const stateDir = blockStateDir(b, env);
    const inv = readLauncher(launcherPath(stateDir));
    const base: NodeJS.ProcessEnv = { ...env };
    for (const name of CARRIED) delete base[name]; // the block's own variables, not this shell's
    const flags = inv ? argsToFlags(inv.args) : { 'state-dir': stateDir };
    const str = (n: string) => (typeof flags[n] === 'string' ? (flags[n] as string) : undefined);
    reports.push(
      await doctorReport({
        flags: {
          stateDir: str('state-dir') ?? stateDir,
          profile: str('profile'),
          config: str('config'),
        },
        env: { ...base, ...inv?.env },
        fixFlags: ` --state-dir ${shQuote(stateDir)}`,
      }),
    );
  }
  if (json) out(`${JSON.stringify(reports)}\n`);
  else out(reports.map((r) => `state dir ${r.stateDir}\n${formatFindings(r.findings)}`).join('\n'));
  return reports.every((r) => r.ok) ? 0 : 1;
}
