/**
 * Typed mocks of every application service (`vi.fn` members implementing src/app/services.ts), shared by
 * the gRPC and HTTP transport tests: the transports are tested against the service port, not through it.
 */
import { vi, type Mock } from 'vitest';

import type {
  AgentRegistryService,
  ArtifactService,
  GatewayServices,
  RunDetails,
  RunService,
  SessionService,
  SubmitRunResult,
} from '../../src/app/services.js';

export type Mocked<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? Mock<(...args: A) => R> : T[K];
};

/** `GatewayServices` whose every method is a `vi.fn`. */
export interface MockServices extends GatewayServices {
  readonly runs: Mocked<RunService>;
  readonly sessions: Mocked<SessionService>;
  readonly agents: Mocked<AgentRegistryService>;
  readonly artifacts: Mocked<ArtifactService>;
  readonly isReady: Mock<() => boolean>;
}

/** Fresh mocks; unconfigured methods reject so a test never passes by accident. */
export function createMockServices(): MockServices {
  const unconfigured = (name: string) => () => Promise.reject(new Error(`mock ${name} not configured`));
  return {
    runs: {
      submit: vi.fn<RunService['submit']>(unconfigured('runs.submit')),
      get: vi.fn<RunService['get']>(unconfigured('runs.get')),
      list: vi.fn<RunService['list']>(unconfigured('runs.list')),
      cancel: vi.fn<RunService['cancel']>(unconfigured('runs.cancel')),
      sendInput: vi.fn<RunService['sendInput']>(unconfigured('runs.sendInput')),
      watch: vi.fn<RunService['watch']>(),
    },
    sessions: {
      create: vi.fn<SessionService['create']>(unconfigured('sessions.create')),
      get: vi.fn<SessionService['get']>(unconfigured('sessions.get')),
      list: vi.fn<SessionService['list']>(unconfigured('sessions.list')),
      end: vi.fn<SessionService['end']>(unconfigured('sessions.end')),
    },
    agents: {
      register: vi.fn<AgentRegistryService['register']>(unconfigured('agents.register')),
      heartbeat: vi.fn<AgentRegistryService['heartbeat']>(unconfigured('agents.heartbeat')),
      deregister: vi.fn<AgentRegistryService['deregister']>(unconfigured('agents.deregister')),
      get: vi.fn<AgentRegistryService['get']>(unconfigured('agents.get')),
      list: vi.fn<AgentRegistryService['list']>(unconfigured('agents.list')),
    },
    artifacts: {
      get: vi.fn<ArtifactService['get']>(unconfigured('artifacts.get')),
      read: vi.fn<ArtifactService['read']>(),
    },
    isReady: vi.fn(() => true),
  };
}

/** What a mocked `runs.submit` resolves to: `details`, as a new run unless `created` is false. */
export function submitted(details: RunDetails, created = true): SubmitRunResult {
  return { ...details, created };
}
