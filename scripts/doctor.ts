// `npm run doctor [-- --repair] [--lift-breaker] [--url <app URL>] [--key <function key>] [--json]`: asks a running
// app how its records and the phone provider differ (GET /api/ops/doctor), or has it repair what it can (POST
// /api/ops/doctor/repair), and prints the answer with the outbound-minutes breaker's state (GET
// /api/ops/outbound-breaker; --lift-breaker lifts it first, POST /api/ops/outbound-breaker/lift). Without --url/--key it finds the `npm start` running on this machine (the running.json
// and function-key files it keeps in DEV_DATA_DIR, default .azurite/). Against Azure: --url https://<app>.azurewebsites.net
// and --key <a function or host key> (or DOCTOR_URL and DOCTOR_KEY).
// Exit code: 0 nothing to repair and the breaker closed, 1 problems remain or the breaker is open, 2 the app could
// not be asked.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DoctorProblem, DoctorRepair, DoctorReport, OutboundBreakerReport } from '../core/api-types';

const ROOT = join(__dirname, '..');

interface Target {
  apiUrl: string;
  key: string;
}

async function main(argv: string[]): Promise<number> {
  const repair = argv.includes('--repair');
  const liftBreaker = argv.includes('--lift-breaker');
  const json = argv.includes('--json');
  const target = findTarget(argv);
  const report = await ask<DoctorReport>(
    target,
    repair ? 'POST' : 'GET',
    repair ? '/api/ops/doctor/repair' : '/api/ops/doctor',
  );
  if (!report) return 2;
  const breaker = await ask<OutboundBreakerReport>(
    target,
    liftBreaker ? 'POST' : 'GET',
    liftBreaker ? '/api/ops/outbound-breaker/lift' : '/api/ops/outbound-breaker',
  );
  if (!breaker) return 2;
  console.log(
    json
      ? JSON.stringify({ ...report, outboundBreaker: breaker }, null, 2)
      : `${describe(report, target.apiUrl)}\n  ${breakerLine(breaker)}`,
  );
  return report.nothingToRepair && !breaker.open ? 0 : 1;
}

/** One operator request; undefined (after saying why) when the app could not be asked. */
async function ask<T>(target: Target, method: 'GET' | 'POST', path: string): Promise<T | undefined> {
  let response: Response;
  try {
    response = await fetch(`${target.apiUrl}${path}`, {
      method,
      headers: { 'x-functions-key': target.key },
      signal: AbortSignal.timeout(120_000),
    });
  } catch (error) {
    console.error(
      `doctor: could not reach ${target.apiUrl} (${error instanceof Error ? error.message : String(error)})`,
    );
    return undefined;
  }
  const text = await response.text();
  if (response.status !== 200) {
    console.error(`doctor: ${path} answered ${response.status}: ${text.slice(0, 500)}`);
    if (response.status === 401) console.error('doctor: the function key was refused (--key, DOCTOR_KEY).');
    return undefined;
  }
  return JSON.parse(text) as T;
}

function findTarget(argv: string[]): Target {
  const option = (name: string) => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const apiUrl = option('--url') ?? process.env.DOCTOR_URL;
  const key = option('--key') ?? process.env.DOCTOR_KEY;
  if (apiUrl && key) return { apiUrl: apiUrl.replace(/\/+$/, ''), key };
  const dataDir = resolve(process.env.DEV_DATA_DIR ?? join(ROOT, '.azurite'));
  let running: { apiUrl?: string; functionKey?: string } = {};
  try {
    running = JSON.parse(readFileSync(join(dataDir, 'running.json'), 'utf8')) as typeof running;
  } catch {
    // no `npm start` running here: both must then be given
  }
  const found = { apiUrl: (apiUrl ?? running.apiUrl)?.replace(/\/+$/, ''), key: key ?? running.functionKey };
  if (!found.apiUrl || !found.key) {
    console.error(
      `doctor: no running \`npm start\` found in ${dataDir}; give --url <app URL> and --key <function key> (or DOCTOR_URL, DOCTOR_KEY).`,
    );
    process.exit(2);
  }
  return { apiUrl: found.apiUrl, key: found.key };
}

function describe(report: DoctorReport, apiUrl: string): string {
  const lines = [`doctor: ${apiUrl}, checked ${report.checkedAt}`];
  if (report.setUp)
    lines.push(
      `  set up: ${Object.entries(report.setUp)
        .map(([name, value]) => `${name} ${value}`)
        .join(', ')}`,
    );
  const { users, numbers, identities, pendingSignUps } = report.counts;
  lines.push(`  ${users} users, ${numbers} numbers, ${identities} endpoints, ${pendingSignUps} sign-ups in progress`);
  if (report.providerNotChecked) lines.push(`  not checked: ${report.providerNotChecked}`);
  for (const repair of report.repairs ?? []) lines.push(`  ${repairLine(repair)}`);
  if (report.nothingToRepair) lines.push('  nothing to repair');
  else for (const problem of report.problems) lines.push(`  ${problemLine(problem)}`);
  if (!report.nothingToRepair && !report.repairs) lines.push('  `npm run doctor -- --repair` fixes what it can.');
  return lines.join('\n');
}

function breakerLine(breaker: OutboundBreakerReport): string {
  const minutes = `${breaker.minutesThisHour} of ${breaker.limitMinutesPerHour} outbound minutes this hour`;
  const lifted = breaker.lifted ? 'lifted just now; ' : '';
  if (!breaker.open) return `outbound breaker: ${lifted}closed (${minutes})`;
  if (breaker.reason === 'disabled') return 'outbound breaker: OPEN (OUTBOUND_MINUTES_PER_HOUR is 0)';
  return `outbound breaker: OPEN since ${breaker.trippedAt} (${minutes}); \`npm run doctor -- --lift-breaker\` lifts it`;
}

function problemLine(problem: DoctorProblem): string {
  return `problem ${problem.code}: ${problem.message}`;
}

function repairLine(repair: DoctorRepair): string {
  return `${repair.ok ? 'repaired' : 'FAILED  '} ${repair.code} ${repair.subject}: ${repair.message}`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('doctor failed:', error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
