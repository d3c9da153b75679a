/**
 * The gRPC server of the gateway API: the four bzzz.gateway.v1 services (handlers in `handlers.ts`),
 * the A2A façade's lf.a2a.v1.A2AService (`a2a-grpc-service.ts`), the standard grpc.health.v1 service
 * and server reflection, with a start/close lifecycle. The HTTP
 * twin lives in src/transport/http.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath, type ServingStatus } from 'grpc-health-check';
import type { Logger } from 'pino';
import { A2A_GRPC_SERVICE, A2A_GRPC_SERVICE_NAME, A2A_PROTO_FILE } from '../../a2a/a2a-proto.js';
import type { GatewayServices } from '../../app/services.js';
import { ErrorCode, GatewayError } from '../../errors/gateway-error.js';
import type { A2AFacadeService } from '../../facade/a2a-facade.js';
import { a2aGrpcHandlers } from './a2a-grpc-service.js';
import {
  agentRegistryHandlers,
  artifactServiceHandlers,
  callScope,
  runServiceHandlers,
  sessionServiceHandlers,
} from './handlers.js';
import {
  GATEWAY_PROTO_FILE,
  GATEWAY_SERVICE_NAMES,
  PROTO_LOADER_OPTIONS,
  loadGatewayPackageDefinition,
  loadGatewayProto,
  protoRoot,
} from './proto.js';

export interface GrpcServerOptions {
  readonly services: GatewayServices;
  readonly logger: Logger;
  /** Address to bind, e.g. `127.0.0.1` or `0.0.0.0`. */
  readonly host: string;
  /** 0 picks a free port; read the bound one from `GrpcServer.port` after `start()`. */
  readonly port: number;
  /** The A2A façade, served as `lf.a2a.v1.A2AService`. Unset: not served. */
  readonly facade?: A2AFacadeService;
}

/**
 * - `initialized`: constructed, not listening.
 * - `starting`: binding the port.
 * - `running`: serving calls.
 * - `closing`: refusing new calls, draining in-flight ones until the grace period ends.
 * - `closed`: every connection is gone. Terminal.
 */
type GrpcServerState = 'initialized' | 'starting' | 'running' | 'closing' | 'closed';

/** The overall health entry (the empty service name) plus one per gateway service. */
const HEALTH_SERVICE_NAMES = ['', ...GATEWAY_SERVICE_NAMES] as const;

export class GrpcServer {
  readonly #options: GrpcServerOptions;
  readonly #server: grpc.Server;
  readonly #health: HealthImplementation;
  #state: GrpcServerState = 'initialized';
  #port: number | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: GrpcServerOptions) {
    this.#options = options;
    this.#server = new grpc.Server();
    const definition = loadGatewayPackageDefinition();
    const proto = loadGatewayProto(definition);
    const deps = { services: options.services, logger: options.logger };
    this.#server.addService(proto.RunService.service, runServiceHandlers(deps));
    this.#server.addService(proto.SessionService.service, sessionServiceHandlers(deps));
    this.#server.addService(proto.AgentRegistryService.service, agentRegistryHandlers(deps));
    this.#server.addService(proto.ArtifactService.service, artifactServiceHandlers(deps));
    const facade = options.facade;
    if (facade !== undefined) {
      this.#server.addService(
        A2A_GRPC_SERVICE,
        a2aGrpcHandlers({
          facade,
          logger: options.logger,
          scopeOf: (call, operation) => callScope(call, A2A_GRPC_SERVICE_NAME, operation),
        }),
      );
    }

    this.#health = new HealthImplementation(
      Object.fromEntries(HEALTH_SERVICE_NAMES.map((name) => [name, 'NOT_SERVING' satisfies ServingStatus])),
    );
    this.#health.addToServer(this.#server);

    // Reflection describes the gateway services, the A2A service and the health service, for grpcurl.
    const healthDefinition = protoLoader.loadSync(healthProtoPath, PROTO_LOADER_OPTIONS);
    // The A2A proto is loaded with the gateway's in one go: loaded apart, their copies of the
    // google.protobuf types do not link up and reflection cannot describe google.protobuf.Empty.
    const described =
      facade === undefined
        ? definition
        : protoLoader.loadSync([GATEWAY_PROTO_FILE, A2A_PROTO_FILE], {
            ...PROTO_LOADER_OPTIONS,
            includeDirs: [protoRoot()],
          });
    new ReflectionService({ ...described, ...healthDefinition }).addToServer(this.#server);
  }

  /** The bound port; throws before `start()` has resolved. */
  get port(): number {
    if (this.#port === undefined) throw illegalState('port', this.#state);
    return this.#port;
  }

  /**
   * Binds `host:port` and starts serving: `initialized` → `starting` → `running`. Health reports
   * SERVING if the services are ready (`GatewayServices.isReady()`), NOT_SERVING otherwise.
   */
  async start(): Promise<void> {
    if (this.#state !== 'initialized') throw illegalState('start', this.#state);
    this.#state = 'starting';
    const { host, port, logger } = this.#options;
    this.#port = await new Promise<number>((resolve, reject) => {
      this.#server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error === null ? resolve(bound) : reject(error),
      );
    });
    this.#state = 'running';
    this.setServing(this.#options.services.isReady());
    logger.info({ host, port: this.#port }, 'gRPC server listening');
  }

  /** Sets the health status of the gateway and each of its services to SERVING or NOT_SERVING. */
  setServing(serving: boolean): void {
    const status: ServingStatus = serving ? 'SERVING' : 'NOT_SERVING';
    for (const name of HEALTH_SERVICE_NAMES) this.#health.setStatus(name, status);
  }

  /**
   * Stops the server: `running` → `closing` → `closed`. Health turns NOT_SERVING, new calls are refused,
   * in-flight calls get `graceMs` to finish, then the rest are cancelled. Idempotent: every call returns
   * the same promise. Closing a server that never started just marks it closed.
   */
  close(graceMs: number): Promise<void> {
    this.#closing ??= this.#shutdown(graceMs);
    return this.#closing;
  }

  async #shutdown(graceMs: number): Promise<void> {
    this.#state = 'closing';
    this.setServing(false);
    const graceful = new Promise<boolean>((resolve) => this.#server.tryShutdown(() => resolve(true)));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    const drained = await Promise.race([graceful, timedOut]);
    clearTimeout(timer);
    if (!drained) {
      this.#options.logger.warn({ graceMs }, 'gRPC calls still running after the grace period; forcing');
      this.#server.forceShutdown();
    }
    this.#state = 'closed';
  }
}

function illegalState(action: string, state: GrpcServerState): GatewayError {
  return new GatewayError(ErrorCode.ILLEGAL_STATE_TRANSITION, `GrpcServer: cannot ${action} while ${state}`, {
    details: { component: 'GrpcServer', action, state },
  });
}
