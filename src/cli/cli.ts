/**
 * The `bzzz` command line: commander wiring of the commands in `commands.ts`, with the streams,
 * environment and gateway client injected so tests run it in-process. `main.ts` is the executable.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { RUN_STATUSES, type RunStatus } from '../domain/run.js';
import { GatewayGrpcClient, GrpcCallError } from '../transport/grpc/gateway-grpc-client.js';
import {
  ExitCode,
  cancelRunCommand,
  createSessionCommand,
  endSessionCommand,
  getAgentCommand,
  getRunCommand,
  getSessionCommand,
  heartbeatAgentCommand,
  listAgentsCommand,
  listRunsCommand,
  listSessionsCommand,
  registerAgentCommand,
  removeAgentCommand,
  runCommand,
  sendInputCommand,
  watchRunCommand,
  type CliClient,
  type CommandDeps,
} from './commands.js';
import type { OutputStream } from './output.js';

/** The gateway the CLI talks to when neither `--gateway` nor `BZZZ_GATEWAY` is set. */
export const DEFAULT_GATEWAY_ADDRESS = 'localhost:50051';

export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Opens a client to the gateway at `host:port`. @default a `GatewayGrpcClient` */
  readonly connect?: (address: string) => CliClient;
  /** Runs `bzzz serve` and resolves with its exit status. @default `serveGateway` */
  readonly serve?: (io: CliIo) => Promise<number>;
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };
}

function collectLabel(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('labels are written key=value');
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

function collectStatus(value: string, previous: RunStatus[]): RunStatus[] {
  const statuses = value.split(',').map((s) => s.trim());
  for (const status of statuses) {
    if (!RUN_STATUSES.includes(status as RunStatus)) {
      throw new InvalidArgumentError(`unknown status '${status}' (one of ${RUN_STATUSES.join(', ')})`);
    }
  }
  return [...previous, ...(statuses as RunStatus[])];
}

/**
 * Starts the gateway in this process and keeps it running until SIGINT or SIGTERM, then closes it.
 * A configuration error prints its message and exits 2.
 */
export async function serveGateway(io: CliIo): Promise<number> {
  const { ConfigError, loadConfig } = await import('../config/config.js');
  const { createGateway } = await import('../gateway.js');
  let config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return ExitCode.Usage;
    }
    throw error;
  }
  const gateway = await createGateway(config);
  await gateway.start();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await gateway.close();
  return ExitCode.Ok;
}

/**
 * Runs one command line (without the `node` and script arguments) and resolves with the exit status:
 * 0 on success, 1 on an API error or a failed run, 2 on a usage error.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  let client: CliClient | undefined;

  const program = new Command('bzzz')
    .description('bzzz: an A2A agent gateway with durable run state')
    .option(
      '--gateway <host:port>',
      `gateway gRPC address (env BZZZ_GATEWAY, default ${DEFAULT_GATEWAY_ADDRESS})`,
    )
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  const gatewayAddress = (): string => {
    const flag = program.opts<{ gateway?: string }>().gateway;
    const env = io.env.BZZZ_GATEWAY;
    return flag ?? (env !== undefined && env.trim() !== '' ? env.trim() : DEFAULT_GATEWAY_ADDRESS);
  };
  const deps = (): CommandDeps => {
    client ??= (io.connect ?? ((address) => new GatewayGrpcClient({ address })))(gatewayAddress());
    return { client, stdout: io.stdout, stderr: io.stderr };
  };
  /** Wraps a command so its exit status is recorded. */
  const action =
    <A extends unknown[]>(command: (...args: A) => Promise<number>) =>
    async (...args: A): Promise<void> => {
      exitCode = await command(...args);
    };

  program
    .command('serve')
    .description('start the gateway (configured by BZZZ_* environment variables)')
    .action(action(() => (io.serve ?? serveGateway)(io)));

  program
    .command('run')
    .description('submit a run to a registered agent (by name) or an A2A agent (by http(s) URL)')
    .argument('<target>', 'registered agent name or A2A agent URL')
    .argument('<text>', 'the message text')
    .option('--session <id>', 'the session (A2A contextId) the run belongs to')
    .option('--timeout <ms>', 'run time limit in milliseconds', positiveInt('--timeout'))
    .option(
      '--idempotency-key <key>',
      'submit at most once: retrying with the same key returns the run already created',
    )
    .option('--watch', 'print progress until the run ends or waits for input')
    .option('--wait', 'block until the run ends or waits for input')
    .option('--json', 'print the run as one JSON object')
    .action(action((target: string, text: string, options) => runCommand(deps(), target, text, options)));

  const runs = program.command('runs').description('inspect and control runs');
  runs
    .command('list')
    .option('--status <status>', 'filter by status (repeatable or comma-separated)', collectStatus, [])
    .option('--agent <name>', 'filter by registered agent')
    .option('--session <id>', 'filter by session')
    .option('--limit <n>', 'at most this many runs', positiveInt('--limit'))
    .option('--json', 'print JSON')
    .action(action((options) => listRunsCommand(deps(), options)));
  runs
    .command('get')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(action((id: string, options) => getRunCommand(deps(), id, options)));
  runs
    .command('cancel')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(action((id: string, options) => cancelRunCommand(deps(), id, options)));
  runs
    .command('watch')
    .argument('<id>')
    .option('--json', 'print each event as a JSON line')
    .action(action((id: string, options) => watchRunCommand(deps(), id, options)));
  runs
    .command('input')
    .description('continue a run that waits for input')
    .argument('<id>')
    .argument('<text>')
    .option('--wait', 'block until the run ends or waits for input again')
    .option('--json', 'print JSON')
    .action(action((id: string, text: string, options) => sendInputCommand(deps(), id, text, options)));

  const sessions = program.command('sessions').description('manage sessions');
  sessions
    .command('create')
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(action((name: string, options) => createSessionCommand(deps(), name, options)));
  sessions
    .command('get')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(action((id: string, options) => getSessionCommand(deps(), id, options)));
  sessions
    .command('list')
    .option('--json', 'print JSON')
    .action(action((options) => listSessionsCommand(deps(), options)));
  sessions
    .command('end')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(action((id: string, options) => endSessionCommand(deps(), id, options)));

  const agents = program.command('agents').description('manage registered agents');
  agents
    .command('register')
    .argument('<name>')
    .argument('<url>', 'agent base URL or agent card URL')
    .option('--label <key=value>', 'a label (repeatable)', collectLabel, {})
    .option('--bearer-token <token>', 'token the gateway sends to the agent')
    .option('--heartbeat-ttl <ms>', 'expect a heartbeat at least this often', positiveInt('--heartbeat-ttl'))
    .option('--json', 'print JSON')
    .action(action((name: string, url: string, options) => registerAgentCommand(deps(), name, url, options)));
  agents
    .command('list')
    .option('--json', 'print JSON')
    .action(action((options) => listAgentsCommand(deps(), options)));
  agents
    .command('get')
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(action((name: string, options) => getAgentCommand(deps(), name, options)));
  agents
    .command('remove')
    .argument('<name>')
    .action(action((name: string) => removeAgentCommand(deps(), name)));
  agents
    .command('heartbeat')
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(action((name: string, options) => heartbeatAgentCommand(deps(), name, options)));

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other commander error is a usage error.
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
        ? ExitCode.Ok
        : ExitCode.Usage;
    }
    if (error instanceof GrpcCallError) {
      io.stderr.write(`error: ${error.code}: ${error.message}\n`);
      return ExitCode.Failure;
    }
    throw error;
  } finally {
    await client?.close();
  }
}
