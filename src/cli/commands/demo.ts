import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createRandom } from '../../core/seeded-random.js';
import { vigilConfigSchema } from '../../config/vigil-config.js';
import { LogCollector } from '../../custody/log-collector.js';
import { ledgerReads } from '../../custody/ledger-reads.js';
import { demoDataDir } from '../../demo/demo-data-dir.js';
import { demoHtml, verificationSummary, type DemoSummary } from '../../demo/demo-report.js';
import type { Detection } from '../../detect/detection.js';
import { endOfStreamMs } from '../../detect/pipeline/detection-pipeline.js';
import { formatVerifierKey } from '../../ledger/note-key.js';
import { runPostureDrill } from '../../demo/posture-drill.js';
import { runCanaryDrill } from '../../demo/canary-drill.js';
import { runIncidentReportDrill, type IncidentReportSummary } from '../../demo/incident-report-drill.js';
import { CanaryService } from '../../canary/canary-service.js';
import { canaryTargets } from '../../canary/canary-targets.js';
import { PostureService } from '../../posture/posture-service.js';
import { withRuntime } from '../../runtime/runtime.js';
import { SCENARIOS } from '../../sim/scenarios/registry.js';
import { startSimulator } from '../../sim/simulator.js';
import type { OktaLogEvent } from '../../sources/okta/log-event.js';
import { verifyCustody } from '../../verify/custody-verifier.js';
import type { CliContext, CommandRegistrar } from '../cli-context.js';
import { StatusLine } from '../status-line.js';
import { severityStyle, terminalOf } from '../terminal.js';
import { formatTable } from '../text-table.js';
import { formatReport } from './verify.js';

/** An attack's events as Vigil stored them, and the alerts: tables fitted to the terminal. */
const TIMELINE_COLUMNS = [
  { header: 'PUBLISHED' },
  { header: 'TYPE', shrink: true, min: 16 },
  { header: 'ACTOR', shrink: true, min: 12 },
  { header: 'IP' },
];
const ALERT_COLUMNS = [
  { header: 'TIME' },
  { header: 'SEVERITY' },
  { header: 'RULE', shrink: true, min: 16 },
  { header: 'ENTITY', shrink: true, min: 10 },
];

/** The demo's canary account (demo/canary-drill.ts). */
const DEMO_CANARY = 'canary-admin@example.com';

interface DemoFlags {
  users: string;
  days: string;
  seed: string;
  json?: boolean;
}

/**
 * `vigil demo`: one command, no configuration. Starts the simulator in-process, collects into a fresh
 * data directory, builds and verifies the ledger, and shows what Vigil saw.
 */
export const registerDemoCommand: CommandRegistrar = (program: Command, ctx: CliContext) => {
  program
    .command('demo')
    .description(
      'run the simulator, collect, verify and detect in one command (no configuration); data in a new temporary directory unless --data names an unused one',
    )
    .option('--users <n>', 'people in the simulated org', '100')
    .option('--days <n>', 'days of history', '5')
    .option('--seed <n>', 'seed', '1')
    .option('--json', 'print a machine-readable summary instead')
    .action(async (flags: DemoFlags, cmd: Command) => {
      const users = Number(flags.users);
      const days = Number(flags.days);
      const seed = Number(flags.seed);
      const given = cmd.optsWithGlobals<{ data?: string }>().data;
      const dataDir = demoDataDir(given === undefined ? undefined : path.resolve(ctx.cwd, given), ctx.env);
      const say = (s: string) => {
        if (!flags.json) ctx.stdout.write(s);
      };
      const progress = (s: string) => ctx.stderr.write(s);
      // The running count only on a terminal (status-line.ts); logs get the whole lines alone.
      const status = new StatusLine(ctx.stderr, terminalOf(ctx.stderr, ctx.env));
      const scenarios = [...SCENARIOS.keys()];

      progress(
        `starting the Okta simulator: ${users} users, ${days} days of traffic${scenarios.length ? `, scenarios ${scenarios.join(', ')}` : ''}...\n`,
      );
      const sim = await startSimulator({
        seed,
        users,
        days,
        liveTraffic: false,
        clock: ctx.clock,
        scenarios: scenarios.map((name) => ({ name })),
        // The posture drill changes the configuration below the application (demo/posture-drill.ts).
        control: true,
      });
      const source = { name: 'okta', type: 'okta' as const, url: sim.baseUrl, tokenEnv: 'VIGIL_DEMO_TOKEN' };
      // The canary drills' admin (demo/canary-drill.ts): its secrets reach Vigil only by reference.
      const canary = sim.authn.createUser({
        login: DEMO_CANARY,
        groups: ['Okta Administrators'],
        totp: true,
      });
      const config = vigilConfigSchema.parse({
        sources: [source],
        collect: { rateShare: 1 },
        canaries: {
          intervalMinutes: 0,
          users: [
            {
              source: 'okta',
              login: DEMO_CANARY,
              probes: ['wrong-password', 'mfa-required'],
              passwordEnv: 'VIGIL_DEMO_CANARY_PASSWORD',
              totpSecretEnv: 'VIGIL_DEMO_CANARY_TOTP',
            },
          ],
        },
      });
      try {
        // The same composition root and detection path as `vigil collect` (runtime/runtime.ts).
        const runtimeOptions = {
          dataDir,
          access: 'write' as const,
          bulk: true,
          helperThreads: true,
          collect: true,
          config,
          env: {
            ...ctx.env,
            VIGIL_DEMO_TOKEN: sim.token,
            VIGIL_DEMO_CANARY_PASSWORD: canary.password,
            VIGIL_DEMO_CANARY_TOTP: canary.factors[0]!.sharedSecret,
          },
          clock: ctx.clock,
        };
        await withRuntime(runtimeOptions, async (runtime) => {
          const detections: Detection[] = [];
          const detection = await runtime.detection((d) => detections.push(d));
          await detection.feed.start('okta');
          const [okta] = runtime.logSources();
          const collector = new LogCollector({
            source: okta!,
            store: runtime.custody(),
            clock: ctx.clock,
            random: createRandom(seed),
            sinceMs: ctx.clock.now() - (days + 1) * 86_400_000,
            preparer: runtime.preparer(),
            onProgress: (p) => status.update(`collecting: ${p.stored} events, ${p.pages} pages`),
            onStored: (events, firstLeaf) => detection.feed.stored('okta', events, firstLeaf),
          });
          const collected = await collector.collectUntilCaughtUp();
          status.clear();
          progress(`collected ${collected.stored} events in ${collected.pages} pages\n`);
          const reads = ledgerReads(runtime.store.db);
          const stored = (await reads.allEventsRaw('okta'))
            .map((raw) => JSON.parse(raw) as OktaLogEvent)
            .sort((a, b) => a.published.localeCompare(b.published));
          // Correlation windows still open at the end of the history close as `vigil detect` closes them.
          const last = stored.at(-1);
          if (last) await detection.feed.flush('okta', endOfStreamMs(last));

          progress(
            'posture drill: snapshot, shadow-mfa-off below the API, a logged zone change, snapshot...\n',
          );
          let drillEvents = 0;
          const posture = await runPostureDrill({
            sim,
            posture: new PostureService({
              custody: runtime.custody(),
              clock: ctx.clock,
              alert: (d) => detection.raise(d, 'okta'),
            }),
            reader: runtime.configReaders('okta')[0]!,
            clock: ctx.clock,
            collect: async () => {
              const more = await new LogCollector({
                source: okta!,
                store: runtime.custody(),
                clock: ctx.clock,
                random: createRandom(seed + 1),
                preparer: runtime.preparer(),
                onStored: (events, firstLeaf) => detection.feed.stored('okta', events, firstLeaf),
              }).collectUntilCaughtUp();
              drillEvents += more.stored;
            },
          });

          progress('canary drills: enforcement-bypass (MFA skipped by the code), log-suppression...\n');
          const drillCollect = async () => {
            const more = await new LogCollector({
              source: okta!,
              store: runtime.custody(),
              clock: ctx.clock,
              random: createRandom(seed + 2),
              preparer: runtime.preparer(),
              onStored: (events, firstLeaf) => detection.feed.stored('okta', events, firstLeaf),
            }).collectUntilCaughtUp();
            drillEvents += more.stored;
          };
          const canaries = await runCanaryDrill({
            sim,
            canaries: new CanaryService({
              custody: runtime.custody(),
              clock: ctx.clock,
              alert: (d) => detection.raise(d, 'okta'),
            }),
            target: canaryTargets(runtime, 'okta')[0]!,
            posture: new PostureService({ custody: runtime.custody(), clock: ctx.clock }),
            reader: runtime.configReaders('okta')[0]!,
            clock: ctx.clock,
            collect: drillCollect,
          });

          progress('verifying the custody store...\n');
          const verifierKeys = runtime.verifierKeys();
          const report = await verifyCustody(runtime.custodyReader(), {
            verifierFor: verifierKeys,
            sources: runtime.config.sources.map((s) => ({ name: s.name, format: s.type })),
          });
          const fired = (ids: readonly string[]) => {
            const mine = new Set(ids);
            return new Set(
              detections.filter((d) => d.eventIds.some((id) => mine.has(id))).map((d) => d.ruleId),
            );
          };
          const checkpoint = await reads.latestCheckpoint('okta');

          // The provider announces a breach: the report a customer gets from Vigil in minutes.
          const lapsus = sim.scenarioTruth.find((t) => t.scenario === 'lapsus-2022' && t.breach);
          if (lapsus)
            progress('incident: lapsus-2022 as its provider announced it, and its blast-radius report...\n');
          const incident = lapsus
            ? await runIncidentReportDrill({
                runtime,
                truth: lapsus,
                clock: ctx.clock,
                source: 'okta',
                dataDir,
              })
            : undefined;

          const summary: DemoSummary = {
            dataDir,
            simulator: { users, days, seed, scenarios },
            collected: {
              // The posture drill's admin change is collected too.
              events: collected.stored + drillEvents,
              pages: collected.pages,
              duplicatesSkipped: collected.duplicates,
              retries: collected.retries,
            },
            // The alerts as stored: each story once, every rule that told it kept as a reason.
            alerts: (await runtime.alertStore().list())
              .filter((a) => a.severity !== 'informational')
              .sort((a, b) => a.firstSeenMs - b.firstSeenMs || a.id.localeCompare(b.id))
              .map((a) => ({
                rule: { id: a.ruleId, title: a.title },
                reasons: a.reasons.map((r) => r.ruleId),
                severity: a.severity,
                entity: a.entity.display ?? a.entity.id,
                time: new Date(a.firstSeenMs).toISOString(),
                events: [...a.eventIds],
              })),
            missed: sim.scenarioTruth.flatMap((t) => {
              const got = fired(t.attackEventIds);
              return t.expectedDetections
                .filter((x) => !got.has(x))
                .map((detection) => ({ scenario: t.scenario, detection }));
            }),
            posture: {
              snapshots: [...posture.snapshots],
              shadowChanges: posture.shadowChanges.map((f) => f.detail),
              explained: posture.explained.map((f) => f.detail),
              failedChecks: posture.failedChecks.map((f) => `${f.check ?? ''}: ${f.detail}`),
            },
            canaries,
            verification: verificationSummary(report),
            checkpoint: checkpoint.note,
            verifierKey: formatVerifierKey(verifierKeys('okta')!),
            report: path.join(dataDir, 'demo-report.html'),
            ...(incident ? { incident } : {}),
          };
          writeFileSync(summary.report, demoHtml(summary));
          if (!report.ok) ctx.exitCode = 1;
          if (flags.json) {
            ctx.stdout.write(JSON.stringify(summary, null, 2) + '\n');
            return;
          }
          say(
            `\n== Custody ==\n${formatReport(report)}\nLatest signed checkpoint (C2SP signed note):\n${checkpoint.note}\nVerifier key: ${summary.verifierKey}\n`,
          );
          say('\n== Attacks as Vigil saw them ==\n');
          const terminal = terminalOf(ctx.stdout, ctx.env);
          const second = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');
          for (const t of sim.scenarioTruth) {
            const mine = new Set(t.attackEventIds);
            say(`\n${t.scenario}:\n`);
            const rows = stored
              .filter((x) => mine.has(x.uuid))
              .map((e) => [
                second(e.published),
                e.eventType,
                e.actor.alternateId ?? e.actor.id,
                e.client?.ipAddress ?? '-',
              ]);
            say(formatTable(TIMELINE_COLUMNS, rows, { width: terminal.width }));
          }
          say('\n== Configuration posture (vigil posture check) ==\n');
          say(`snapshots ${summary.posture.snapshots.join(' and ')} (ledger log okta/config-snapshots)\n`);
          for (const line of summary.posture.shadowChanges) say(`SHADOW CHANGE  ${line}\n`);
          for (const line of summary.posture.explained) say(`explained      ${line}\n`);
          for (const line of summary.posture.failedChecks) say(`baseline FAIL  ${line}\n`);
          say('\n== Canary sign-ins (vigil canary run) ==\n');
          say(
            `enforcement-bypass  ${canaries.canary} ${canaries.bypass.probe}: ${canaries.bypass.status.toUpperCase()}, ` +
              `observed ${canaries.bypass.observed}; configuration changes seen by posture meanwhile: ${canaries.configChanges}\n`,
          );
          say(
            `log-suppression     ${canaries.canary} ${canaries.suppressed.probe}: log check ${canaries.suppressed.logCheck.toUpperCase()}` +
              `${canaries.suppressed.missing.length ? `, missing ${canaries.suppressed.missing.join(', ')}` : ''}\n`,
          );
          say(`\n== Alerts (${summary.alerts.length}) ==\n`);
          if (summary.alerts.length > 0)
            say(
              formatTable(
                ALERT_COLUMNS,
                summary.alerts.map((a) => [second(a.time), a.severity, a.rule.title, a.entity]),
                {
                  width: terminal.width,
                  style: (column, padded, cell) =>
                    column === 1 ? severityStyle(terminal, cell, padded) : padded,
                },
              ),
            );
          say(
            summary.missed.length
              ? `\nMissed: ${summary.missed.map((m) => `${m.scenario}/${m.detection}`).join(', ')}\n`
              : '\nMissed: nothing, every expected detection fired.\n',
          );
          if (incident) say(incidentText(incident, terminal.width));
          const relative = path.relative(ctx.cwd, dataDir);
          const d = `--data ${relative && !relative.startsWith('..') ? relative : dataDir}`;
          say(
            `\nData directory: ${dataDir}\nHTML report:    ${summary.report}\n` +
              (incident ? `Incident report: ${incident.report}\n` : '') +
              `\nTry next:\n` +
              `  npx vigil ${d} events --type 'user.session.*' --limit 20\n` +
              `  npx vigil ${d} verify\n` +
              `  npx vigil ${d} ledger prove --index 0 --json\n` +
              `  npx vigil ${d} ledger checkpoint\n` +
              `  npx vigil ${d} alerts\n` +
              `  npx vigil ${d} posture check\n`,
          );
        });
      } finally {
        await sim.close();
      }
    });
};

const INCIDENT_COLUMNS = [
  { header: 'PUBLISHED' },
  { header: 'TYPE', shrink: true, min: 16 },
  { header: 'ACTOR', shrink: true, min: 12 },
  { header: 'WHY CITED', shrink: true, min: 12 },
];

/** The incident report's summary for the terminal (`vigil incident report` has the whole report). */
function incidentText(r: IncidentReportSummary, width: number): string {
  const second = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');
  const findings = r.support.findings.map((f) => `${f.kind} ${f.events}`).join(', ');
  return (
    `\n== Incident: ${r.scenario}, as its provider announced it (vigil incident report) ==\n` +
    `incident ${r.incident}: window ${second(r.from)} to ${second(r.to)}, ${r.indicators} indicators\n` +
    `cited ${r.cited} events, each with an inclusion proof; the attack's ${r.attackCited} of ${r.attackEvents} among them\n` +
    formatTable(
      INCIDENT_COLUMNS,
      r.timeline.map((e) => [second(e.published), e.eventType, e.actor, e.why.join(' ')]),
      { width },
    ) +
    `people named: ${r.principals.map((p) => `${p.user}${p.admin ? ' (admin)' : ''} ${p.recommended.join('+') || 'review'}`).join('; ')}\n` +
    `support actions: ${r.support.actions}, matched to an approved ticket ${r.support.matched}${findings ? `; findings: ${findings}` : ''}\n`
  );
}
