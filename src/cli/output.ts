/**
 * How the `bzzz` CLI prints: concise human lines and aligned tables, or JSON. Pure functions from
 * domain values (as the gRPC client returns them) to text; the commands (`commands.ts`) decide what to
 * print and where.
 */
import type { PublicAgentView } from '../domain/agent.js';
import { runErrorMessage, stepErrorMessage } from '../domain/run-error.js';
import type { Run, RunTarget, TraceRef } from '../domain/run.js';
import type { Session } from '../domain/session.js';
import type { RunDetails, SessionDetails } from '../app/services.js';
import type { ClientRunWatchEvent } from '../transport/grpc/codec.js';

/** Where the CLI writes: `process.stdout` / `process.stderr`, or a buffer in tests. */
export interface OutputStream {
  write(chunk: string): unknown;
}

/** A run as `--json` prints it: the run's fields plus its steps and artifacts, as one object. */
export function runJson(details: RunDetails): Record<string, unknown> {
  return { ...details.run, steps: details.steps, artifacts: details.artifacts };
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function targetText(target: RunTarget): string {
  switch (target.kind) {
    case 'agent':
      return target.name;
    case 'a2aAgent':
      return target.url;
    case 'swarm':
      return `swarm:${target.swarmfilePath}`;
  }
}

/** Rows as columns padded to the widest cell; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

export function runsTable(runs: readonly Run[]): string {
  return table(
    ['ID', 'STATUS', 'TARGET', 'CREATED'],
    runs.map((run) => [run.id, run.status, targetText(run.target), run.createdAt]),
  );
}

/** A trace reference as a person looks it up in a tracing backend: the trace id, then the span. */
function traceText(trace: TraceRef): string {
  return `${trace.traceId} (span ${trace.spanId})`;
}

/** A run, its trace, its error, steps (each with its trace) and artifacts, in a few lines. */
export function runSummary(details: RunDetails): string {
  const { run } = details;
  const lines = [`run ${run.id} ${run.status}`, `  target   ${targetText(run.target)}`];
  if (run.sessionId !== undefined) lines.push(`  session  ${run.sessionId}`);
  if (run.idempotencyKey !== undefined) lines.push(`  key      ${run.idempotencyKey}`);
  if (run.trace !== undefined) lines.push(`  trace    ${traceText(run.trace)}`);
  if (run.error !== undefined) lines.push(`  error    ${runErrorMessage(run.error)}`);
  for (const step of details.steps) {
    const error = step.error === undefined ? '' : ` (${stepErrorMessage(step.error)})`;
    const message = step.remote?.statusMessage === undefined ? '' : `: ${step.remote.statusMessage}`;
    lines.push(`  step ${step.index}   ${step.name} → ${step.agent} ${step.status}${error}${message}`);
    if (step.trace !== undefined) lines.push(`           trace ${traceText(step.trace)}`);
  }
  for (const artifact of details.artifacts) {
    lines.push(
      `  artifact ${artifact.id} ${artifact.name} (${artifact.contentType}, ${artifact.size} bytes)`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One progress line for a watch event. */
export function eventLine(event: ClientRunWatchEvent): string {
  switch (event.type) {
    case 'snapshot':
      return `run ${event.details.run.id} ${event.details.run.status}\n`;
    case 'run': {
      const error = event.run.error === undefined ? '' : `: ${runErrorMessage(event.run.error)}`;
      return `run ${event.run.status}${error}\n`;
    }
    case 'step': {
      const { step } = event;
      const message = step.remote?.statusMessage === undefined ? '' : `: ${step.remote.statusMessage}`;
      return `step ${step.index} ${step.name} → ${step.agent} ${step.status}${message}\n`;
    }
    case 'artifact':
      return `artifact ${event.artifact.name} (${event.artifact.contentType}, ${event.artifact.size} bytes)\n`;
  }
}

export function sessionLine(session: Session): string {
  const ended = session.endedAt === undefined ? '' : ` ended ${session.endedAt}`;
  return `session ${session.id} ${session.name} ${session.status}${ended}\n`;
}

export function sessionSummary(details: SessionDetails): string {
  const runs = details.runIds.length === 0 ? '' : `  runs     ${details.runIds.join(', ')}\n`;
  return `${sessionLine(details.session)}${runs}`;
}

export function sessionsTable(sessions: readonly Session[]): string {
  return table(
    ['ID', 'NAME', 'STATUS', 'CREATED'],
    sessions.map((s) => [s.id, s.name, s.status, s.createdAt]),
  );
}

function labelsText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function agentsTable(agents: readonly PublicAgentView[]): string {
  return table(
    ['NAME', 'HEALTH', 'URL', 'LABELS'],
    agents.map((a) => [a.name, a.health, a.url, labelsText(a.labels)]),
  );
}

export function agentSummary(agent: PublicAgentView): string {
  const lines = [
    `agent ${agent.name} ${agent.health}${agent.healthReason === undefined ? '' : ` (${agent.healthReason})`}`,
    `  url       ${agent.url}`,
    `  endpoint  ${agent.endpoint.url} (${agent.endpoint.protocolBinding} ${agent.endpoint.protocolVersion})`,
  ];
  if (Object.keys(agent.labels).length > 0) lines.push(`  labels    ${labelsText(agent.labels)}`);
  if (agent.heartbeatTtlMs !== undefined) lines.push(`  heartbeat every ${agent.heartbeatTtlMs} ms`);
  if (agent.lastHeartbeatAt !== undefined) lines.push(`  last heartbeat ${agent.lastHeartbeatAt}`);
  lines.push(`  credentials ${agent.hasCredentials ? 'yes' : 'no'}`);
  return `${lines.join('\n')}\n`;
}
