/**
 * The `bzzz` CLI commands, as functions of an injected gateway client and output streams, returning
 * the process exit status; `cli.ts` wires them to commander. Exit status: 0 on success, 1 on an API
 * error or a run that ended failed / cancelled / timed out, 2 on a usage error (raised by commander).
 */
import {
  hasStoppedExecuting,
  isInterruptedRunStatus,
  isTerminalRunStatus,
  type RunStatus,
  type RunTarget,
} from '../domain/run.js';
import { MAX_RUN_WAIT_MS, type RunDetails } from '../app/services.js';
import type { GatewayGrpcClient } from '../transport/grpc/gateway-grpc-client.js';
import {
  agentSummary,
  agentsTable,
  eventLine,
  json,
  runJson,
  runSummary,
  runsTable,
  sessionSummary,
  sessionsTable,
  type OutputStream,
} from './output.js';

/** The gateway client the commands use (the public surface of `GatewayGrpcClient`). */
export type CliClient = Pick<GatewayGrpcClient, keyof GatewayGrpcClient>;

export interface CommandDeps {
  readonly client: CliClient;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
}

export const ExitCode = {
  Ok: 0,
  /** An API error, or a run that ended failed / cancelled / timed out. */
  Failure: 1,
  Usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Largest text artifact whose content `run --wait` prints: 64 KiB. */
const PRINTED_ARTIFACT_MAX_BYTES = 64 * 1024;

export interface JsonOption {
  readonly json?: boolean;
}

export interface RunCommandOptions extends JsonOption {
  readonly session?: string;
  readonly timeout?: number;
  /** Makes the submission safe to retry: the same key again gets the run the first attempt created. */
  readonly idempotencyKey?: string;
  readonly watch?: boolean;
  readonly wait?: boolean;
}

/** A registered agent name, or an A2A agent when TARGET is an http(s) URL. */
export function parseTarget(target: string): RunTarget {
  return /^https?:\/\//i.test(target) ? { kind: 'a2aAgent', url: target } : { kind: 'agent', name: target };
}

/** Exit status for a run once the CLI stops following it. */
function runExitCode(deps: CommandDeps, details: RunDetails): ExitCode {
  const { status, id } = details.run;
  if (isInterruptedRunStatus(status)) {
    const what = status === 'auth_required' ? 'authorisation' : 'input';
    deps.stderr.write(`run ${id} is waiting for ${what}; continue it with: bzzz runs input ${id} TEXT\n`);
    return ExitCode.Ok;
  }
  if (status === 'completed') return ExitCode.Ok;
  if (!isTerminalRunStatus(status)) deps.stderr.write(`stopped following run ${id} while it is ${status}\n`);
  return ExitCode.Failure;
}

/**
 * Follows a run over WatchRun until it settles, printing progress lines when `print` is set, then
 * returns its final details (with steps and artifacts).
 */
async function followRun(deps: CommandDeps, id: string, print: boolean): Promise<RunDetails> {
  const controller = new AbortController();
  const stepStates = new Map<string, string>();
  let runStatus: RunStatus | undefined;
  try {
    for await (const event of deps.client.watchRun(id, controller.signal)) {
      let status: RunStatus | undefined;
      let changed = true;
      if (event.type === 'snapshot') {
        status = event.details.run.status;
      } else if (event.type === 'run') {
        status = event.run.status;
        changed = status !== runStatus;
      } else if (event.type === 'step') {
        const state = `${event.step.status}|${event.step.remote?.statusMessage ?? ''}`;
        changed = stepStates.get(event.step.id) !== state;
        stepStates.set(event.step.id, state);
      }
      if (status !== undefined) runStatus = status;
      if (print && changed) deps.stdout.write(eventLine(event));
      if (status !== undefined && hasStoppedExecuting(status)) break;
    }
  } finally {
    controller.abort();
  }
  return deps.client.getRun(id);
}

/** The run once it stopped executing: as a waiting call answered, or followed further if its wait ran out. */
function untilStopped(deps: CommandDeps, details: RunDetails): Promise<RunDetails> {
  return hasStoppedExecuting(details.run.status)
    ? Promise.resolve(details)
    : followRun(deps, details.run.id, false);
}

/** Prints the content of the run's small text artifacts (the agent's answer, usually). */
async function printTextArtifacts(deps: CommandDeps, details: RunDetails): Promise<void> {
  for (const artifact of details.artifacts) {
    if (!artifact.contentType.startsWith('text/') || artifact.size > PRINTED_ARTIFACT_MAX_BYTES) continue;
    const chunks: Uint8Array[] = [];
    for await (const chunk of deps.client.readArtifact(artifact.id)) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    deps.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/** Prints a run that the CLI finished following, and returns the exit status for it. */
async function printFinalRun(deps: CommandDeps, details: RunDetails, options: JsonOption): Promise<ExitCode> {
  if (options.json === true) {
    deps.stdout.write(json(runJson(details)));
  } else {
    deps.stdout.write(runSummary(details));
    await printTextArtifacts(deps, details);
  }
  return runExitCode(deps, details);
}

/** `bzzz run TARGET TEXT`. */
export async function runCommand(
  deps: CommandDeps,
  target: string,
  text: string,
  options: RunCommandOptions,
): Promise<ExitCode> {
  // Waiting quietly, the submission itself waits; watching prints the run's progress as it comes.
  const waitQuietly = options.wait === true && options.watch !== true;
  const submitted = await deps.client.submitRun({
    target: parseTarget(target),
    input: { parts: [{ text }] },
    ...(options.session !== undefined && { sessionId: options.session }),
    ...(options.timeout !== undefined && { timeoutMs: options.timeout }),
    ...(options.idempotencyKey !== undefined && { idempotencyKey: options.idempotencyKey }),
    ...(waitQuietly && { waitMs: MAX_RUN_WAIT_MS }),
  });
  if (options.watch !== true && options.wait !== true) {
    deps.stdout.write(
      options.json === true ? json(runJson(submitted)) : `run ${submitted.run.id} ${submitted.run.status}\n`,
    );
    return ExitCode.Ok;
  }
  const final = waitQuietly
    ? await untilStopped(deps, submitted)
    : await followRun(deps, submitted.run.id, options.json !== true);
  return printFinalRun(deps, final, options);
}

export interface ListRunsOptions extends JsonOption {
  readonly status?: readonly RunStatus[];
  readonly agent?: string;
  readonly session?: string;
  readonly limit?: number;
}

/** `bzzz runs list`. */
export async function listRunsCommand(deps: CommandDeps, options: ListRunsOptions): Promise<ExitCode> {
  const page = await deps.client.listRuns(
    {
      ...(options.status !== undefined && options.status.length > 0 && { statuses: options.status }),
      ...(options.agent !== undefined && { agent: options.agent }),
      ...(options.session !== undefined && { sessionId: options.session }),
    },
    options.limit === undefined ? {} : { pageSize: options.limit },
  );
  deps.stdout.write(options.json === true ? json(page.items) : runsTable(page.items));
  return ExitCode.Ok;
}

/** `bzzz runs get ID`. */
export async function getRunCommand(deps: CommandDeps, id: string, options: JsonOption): Promise<ExitCode> {
  const details = await deps.client.getRun(id);
  deps.stdout.write(options.json === true ? json(runJson(details)) : runSummary(details));
  return ExitCode.Ok;
}

/** `bzzz runs cancel ID`. */
export async function cancelRunCommand(
  deps: CommandDeps,
  id: string,
  options: JsonOption,
): Promise<ExitCode> {
  const details = await deps.client.cancelRun(id);
  deps.stdout.write(
    options.json === true ? json(runJson(details)) : `run ${details.run.id} ${details.run.status}\n`,
  );
  return ExitCode.Ok;
}

/** `bzzz runs watch ID`: progress lines (or JSON lines) until the run settles. */
export async function watchRunCommand(deps: CommandDeps, id: string, options: JsonOption): Promise<ExitCode> {
  if (options.json === true) {
    const controller = new AbortController();
    try {
      for await (const event of deps.client.watchRun(id, controller.signal)) {
        deps.stdout.write(`${JSON.stringify(event)}\n`);
        const status =
          event.type === 'snapshot'
            ? event.details.run.status
            : event.type === 'run'
              ? event.run.status
              : undefined;
        if (status !== undefined && hasStoppedExecuting(status)) break;
      }
    } finally {
      controller.abort();
    }
    return runExitCode(deps, await deps.client.getRun(id));
  }
  return runExitCode(deps, await followRun(deps, id, true));
}

/** `bzzz runs input ID TEXT`. */
export async function sendInputCommand(
  deps: CommandDeps,
  id: string,
  text: string,
  options: JsonOption & { readonly wait?: boolean },
): Promise<ExitCode> {
  const waitMs = options.wait === true ? MAX_RUN_WAIT_MS : undefined;
  const details = await deps.client.sendInput(id, { parts: [{ text }] }, waitMs);
  if (options.wait !== true) {
    deps.stdout.write(
      options.json === true ? json(runJson(details)) : `run ${details.run.id} ${details.run.status}\n`,
    );
    return ExitCode.Ok;
  }
  return printFinalRun(deps, await untilStopped(deps, details), options);
}

/** `bzzz sessions create NAME`. */
export async function createSessionCommand(
  deps: CommandDeps,
  name: string,
  options: JsonOption,
): Promise<ExitCode> {
  const details = await deps.client.createSession(name);
  deps.stdout.write(options.json === true ? json(details) : sessionSummary(details));
  return ExitCode.Ok;
}

/** `bzzz sessions get ID`. */
export async function getSessionCommand(
  deps: CommandDeps,
  id: string,
  options: JsonOption,
): Promise<ExitCode> {
  const details = await deps.client.getSession(id);
  deps.stdout.write(options.json === true ? json(details) : sessionSummary(details));
  return ExitCode.Ok;
}

/** `bzzz sessions list`. */
export async function listSessionsCommand(deps: CommandDeps, options: JsonOption): Promise<ExitCode> {
  const page = await deps.client.listSessions();
  deps.stdout.write(options.json === true ? json(page.items) : sessionsTable(page.items));
  return ExitCode.Ok;
}

/** `bzzz sessions end ID`. */
export async function endSessionCommand(
  deps: CommandDeps,
  id: string,
  options: JsonOption,
): Promise<ExitCode> {
  const details = await deps.client.endSession(id);
  deps.stdout.write(options.json === true ? json(details) : sessionSummary(details));
  return ExitCode.Ok;
}

export interface RegisterAgentOptions extends JsonOption {
  readonly label?: Readonly<Record<string, string>>;
  readonly bearerToken?: string;
  readonly heartbeatTtl?: number;
}

/** `bzzz agents register NAME URL`. */
export async function registerAgentCommand(
  deps: CommandDeps,
  name: string,
  url: string,
  options: RegisterAgentOptions,
): Promise<ExitCode> {
  const agent = await deps.client.registerAgent({
    name,
    url,
    labels: options.label ?? {},
    ...(options.bearerToken !== undefined && { credentials: { bearerToken: options.bearerToken } }),
    ...(options.heartbeatTtl !== undefined && { heartbeatTtlMs: options.heartbeatTtl }),
  });
  deps.stdout.write(options.json === true ? json(agent) : agentSummary(agent));
  return ExitCode.Ok;
}

/** `bzzz agents list`. */
export async function listAgentsCommand(deps: CommandDeps, options: JsonOption): Promise<ExitCode> {
  const agents = await deps.client.listAgents();
  deps.stdout.write(options.json === true ? json(agents) : agentsTable(agents));
  return ExitCode.Ok;
}

/** `bzzz agents get NAME`. */
export async function getAgentCommand(
  deps: CommandDeps,
  name: string,
  options: JsonOption,
): Promise<ExitCode> {
  const agent = await deps.client.getAgent(name);
  deps.stdout.write(options.json === true ? json(agent) : agentSummary(agent));
  return ExitCode.Ok;
}

/** `bzzz agents remove NAME`. */
export async function removeAgentCommand(deps: CommandDeps, name: string): Promise<ExitCode> {
  await deps.client.deregisterAgent(name);
  deps.stdout.write(`agent ${name} removed\n`);
  return ExitCode.Ok;
}

/** `bzzz agents heartbeat NAME`. */
export async function heartbeatAgentCommand(
  deps: CommandDeps,
  name: string,
  options: JsonOption,
): Promise<ExitCode> {
  const agent = await deps.client.heartbeatAgent(name);
  deps.stdout.write(options.json === true ? json(agent) : `agent ${agent.name} ${agent.health}\n`);
  return ExitCode.Ok;
}
