/**
 * The metrics port: what the application records. `NoopMetrics` is the default; the Prometheus adapter
 * lives in `src/telemetry/`, so application code depends on no metrics library. Gauges (active runs,
 * open watch streams, agent health) are read at scrape time from the sources the adapter is given.
 */
import type { RunStatus } from '../domain/run.js';
import type { StepStatus } from '../domain/step.js';

export interface GatewayMetrics {
  /** A run began executing (pending → running). */
  runStarted(agent: string): void;
  /** A run reached a terminal or waiting status. */
  runFinished(agent: string, status: RunStatus, durationMs: number | undefined): void;
  stepFinished(agent: string, status: StepStatus, durationMs: number | undefined): void;
  /** One call to a remote agent: `outcome` is `ok` or the error code it failed with. */
  outboundCall(agent: string, method: string, outcome: string, durationMs: number): void;
  /**
   * Finished spans left for the tracing backend (`exported`), were lost in a failed export (`failed`), or
   * were dropped before any export because too many were waiting for one (`dropped`).
   */
  spansExported(outcome: SpanExportOutcome, spans: number): void;
}

export type SpanExportOutcome = 'exported' | 'failed' | 'dropped';

export const NoopMetrics: GatewayMetrics = {
  runStarted: () => undefined,
  runFinished: () => undefined,
  stepFinished: () => undefined,
  outboundCall: () => undefined,
  spansExported: () => undefined,
};
