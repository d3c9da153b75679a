/**
 * Traces and metrics of runs, through `@opentelemetry/api` and the metrics port only (the SDK, the
 * exporters and prom-client are wired in `src/telemetry/`; with no SDK registered every call here is a
 * no-op of the API).
 *
 * The span tree: the inbound request (started by the transport, handed over as the call context's
 * carrier) → one Run span that lives until the run ends → one CLIENT Step span per exchange with an
 * agent, whose own context is injected as `traceparent` into the call, so the agent's spans nest under
 * it. The run's span context is stored with the run (`Run.trace`), so steps of a run continued later —
 * more input, or after a restart — join the same trace even when the Run span object is gone.
 */
import {
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';

import type { AgentEndpoint } from '../domain/agent.js';
import type { CallContext } from '../domain/call-context.js';
import { runErrorMessage, stepErrorMessage } from '../domain/run-error.js';
import { isTerminalRunStatus, runDurationMs, targetLabel, type Run, type TraceRef } from '../domain/run.js';
import { isTerminalStepStatus, stepDurationMs, type Step } from '../domain/step.js';
import { Attr, EventName, GenAiOperation, GenAiProvider, SpanName } from '../telemetry/semconv.js';
import type { GatewayMetrics } from './metrics.js';

/** What a Step span says about the agent it calls. */
export interface StepTarget {
  /** The registered agent's name, or the URL it was addressed by. */
  readonly label: string;
  readonly endpoint: AgentEndpoint;
  readonly card?: Readonly<Record<string, unknown>>;
  /** Whether the agent may receive the caller's baggage. */
  readonly baggageAllowed: boolean;
}

export interface RunTelemetryOptions {
  readonly metrics: GatewayMetrics;
  /** Record message text in span events (off by default: content may be sensitive). */
  readonly recordContent?: boolean;
}

export class RunTelemetry {
  readonly #metrics: GatewayMetrics;
  readonly #recordContent: boolean;
  /** Live spans by run id / step id, ended when their record reaches a final status. */
  readonly #runSpans = new Map<string, Span>();
  readonly #stepSpans = new Map<string, { span: Span; agent: string }>();
  /**
   * The context each run was submitted in, while the run lasts: its baggage goes to allowed agents, and
   * with tracing off its trace context passes through to agents unchanged.
   */
  readonly #callerContexts = new Map<string, Context>();

  constructor(options: RunTelemetryOptions) {
    this.#metrics = options.metrics;
    this.#recordContent = options.recordContent ?? false;
  }

  /** Starts the Run span under the caller's context; returns the trace reference to store with the run. */
  startRun(run: Run, carrier: Readonly<Record<string, string>> | undefined): TraceRef | undefined {
    const parent = carrierContext(carrier);
    const span = tracer().startSpan(
      SpanName.run,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          [Attr.RUN_ID]: run.id,
          [Attr.RUN_TARGET]: targetLabel(run.target),
          ...(run.sessionId !== undefined && {
            [Attr.SESSION_ID]: run.sessionId,
            [Attr.GEN_AI_CONVERSATION_ID]: run.sessionId,
          }),
        },
      },
      parent,
    );
    if (carrier !== undefined) this.#callerContexts.set(run.id, parent);
    if (!span.isRecording()) return undefined;
    this.#runSpans.set(run.id, span);
    const { traceId, spanId, traceFlags } = span.spanContext();
    return { traceId, spanId, traceFlags };
  }

  /**
   * Starts the CLIENT span of a step that calls an agent, as a child of the run's span (live, or
   * restored from `run.trace`). Returns the step's trace reference, the headers that carry its context
   * to the agent, and the context to make the call in (so the client's HTTP span nests under the step).
   */
  startStep(
    run: Run,
    step: Step,
    target: StepTarget,
  ): { trace: TraceRef | undefined; headers: Record<string, string>; context: Context } {
    const parent = this.#runContext(run);
    const card = target.card ?? {};
    const agentName = typeof card.name === 'string' ? card.name : target.label;
    const url = safeUrl(target.endpoint.url);
    const attributes: Attributes = {
      [Attr.GEN_AI_OPERATION_NAME]: GenAiOperation.invokeAgent,
      [Attr.GEN_AI_PROVIDER_NAME]: GenAiProvider.a2a,
      [Attr.GEN_AI_AGENT_NAME]: agentName,
      [Attr.GEN_AI_AGENT_ID]: target.label,
      ...(typeof card.description === 'string' && { [Attr.GEN_AI_AGENT_DESCRIPTION]: card.description }),
      ...(typeof card.version === 'string' && { [Attr.GEN_AI_AGENT_VERSION]: card.version }),
      ...(run.remote?.contextId !== undefined || run.sessionId !== undefined
        ? { [Attr.GEN_AI_CONVERSATION_ID]: run.remote?.contextId ?? run.sessionId ?? '' }
        : {}),
      [Attr.A2A_METHOD_NAME]: step.remote?.method ?? 'SendMessage',
      [Attr.A2A_PROTOCOL_VERSION]: target.endpoint.protocolVersion,
      ...(run.remote?.taskId !== undefined && { [Attr.A2A_TASK_ID]: run.remote.taskId }),
      ...(url !== undefined && { [Attr.SERVER_ADDRESS]: url.hostname, [Attr.SERVER_PORT]: urlPort(url) }),
      [Attr.RUN_ID]: run.id,
      [Attr.STEP_ID]: step.id,
      ...(run.sessionId !== undefined && { [Attr.SESSION_ID]: run.sessionId }),
    };
    const span = tracer().startSpan(
      `${SpanName.invokeAgent} ${agentName}`,
      { kind: SpanKind.CLIENT, attributes },
      parent,
    );
    const stepContext = trace.setSpan(parent, span);
    const headers: Record<string, string> = {};
    // With tracing off the span is the parent's non-recording stand-in: the caller's context passes through.
    propagation.inject(stepContext, headers);
    if (!target.baggageAllowed) delete headers.baggage;
    if (!span.isRecording()) return { trace: undefined, headers, context: stepContext };
    this.#stepSpans.set(step.id, { span, agent: target.label });
    const { traceId, spanId, traceFlags } = span.spanContext();
    return { trace: { traceId, spanId, traceFlags }, headers, context: stepContext };
  }

  /** A run's trace context: its live span's, else the caller's. */
  #contextOf(runId: string): Context {
    const caller = this.#callerContexts.get(runId) ?? ROOT_CONTEXT;
    const live = this.#runSpans.get(runId);
    return live === undefined ? caller : trace.setSpan(caller, live);
  }

  /** An A2A event received during a step: a span event with the state, sizes, never content unless opted in. */
  stepEvent(stepId: string, name: string, attributes: Attributes, text?: string): void {
    const live = this.#stepSpans.get(stepId);
    if (live === undefined) return;
    live.span.addEvent(name, {
      ...attributes,
      ...(this.#recordContent && text !== undefined && { [Attr.CONTENT]: text }),
    });
  }

  /** One call to a remote agent finished. */
  outboundCall(agent: string, method: string, outcome: string, durationMs: number): void {
    this.#metrics.outboundCall(agent, method, outcome, durationMs);
  }

  runStarted(run: Run): void {
    this.#metrics.runStarted(agentOf(run));
  }

  /** Called with every committed change: ends the spans of records that reached their final status. */
  committed(run: Run, step: Step | undefined): void {
    if (step !== undefined && isTerminalStepStatus(step.status)) this.#endStep(run, step);
    if (isTerminalRunStatus(run.status)) this.#endRun(run);
  }

  /** Forgets a run that was never stored (its submission failed): its span is dropped, not exported. */
  discardRun(runId: string): void {
    this.#callerContexts.delete(runId);
    this.#runSpans.delete(runId);
  }

  /** Ends the spans still open (shutdown): exported as they are rather than lost. */
  endAll(): void {
    for (const { span } of this.#stepSpans.values()) {
      span.addEvent(EventName.gatewayShutdown);
      span.end();
    }
    for (const span of this.#runSpans.values()) {
      span.addEvent(EventName.gatewayShutdown);
      span.end();
    }
    this.#stepSpans.clear();
    this.#runSpans.clear();
    this.#callerContexts.clear();
  }

  #endStep(run: Run, step: Step): void {
    this.#metrics.stepFinished(agentOf(run), step.status, stepDurationMs(step));
    const live = this.#stepSpans.get(step.id);
    if (live === undefined) return;
    this.#stepSpans.delete(step.id);
    const { span } = live;
    if (step.remote?.taskId !== undefined) span.setAttribute(Attr.A2A_TASK_ID, step.remote.taskId);
    if (step.remote?.state !== undefined) span.setAttribute(Attr.A2A_TASK_STATE, step.remote.state);
    if (step.error !== undefined && step.status !== 'cancelled') {
      span.setAttribute(Attr.ERROR_TYPE, step.error.kind);
      span.setStatus({ code: SpanStatusCode.ERROR, message: stepErrorMessage(step.error) });
    }
    span.end();
  }

  #endRun(run: Run): void {
    this.#callerContexts.delete(run.id);
    this.#metrics.runFinished(agentOf(run), run.status, runDurationMs(run));
    const span = this.#runSpans.get(run.id);
    if (span === undefined) return;
    this.#runSpans.delete(run.id);
    span.setAttribute(Attr.RUN_STATUS, run.status);
    if (run.remote?.taskId !== undefined) span.setAttribute(Attr.A2A_TASK_ID, run.remote.taskId);
    if (run.status === 'failed' || run.status === 'timeout') {
      span.setAttribute(Attr.ERROR_TYPE, run.error?.kind ?? run.status);
      span.setStatus({
        code: SpanStatusCode.ERROR,
        ...(run.error !== undefined && { message: runErrorMessage(run.error) }),
      });
    }
    span.end();
  }

  /** The context steps of `run` are children of: its live span, or the one stored with it. */
  #runContext(run: Run): Context {
    if (this.#runSpans.has(run.id) || run.trace === undefined) return this.#contextOf(run.id);
    const caller = this.#callerContexts.get(run.id) ?? ROOT_CONTEXT;
    return trace.setSpanContext(caller, { ...run.trace, isRemote: true });
  }
}

/** Looked up per span: a tracer kept from before a provider was (re)registered would keep the old one. */
function tracer(): Tracer {
  return trace.getTracer('bzzz');
}

function agentOf(run: Run): string {
  return run.target.kind === 'agent' ? run.target.name : run.target.kind === 'a2aAgent' ? 'url' : 'swarm';
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function urlPort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/**
 * The trace context a call arrived in, from its carrier: the SERVER span's when tracing is on, the
 * caller's own when it is off. Spans and outbound calls made for the call are children of it.
 */
export function callTraceContext(ctx: CallContext): Context {
  return carrierContext(ctx.traceCarrier);
}

function carrierContext(carrier: Readonly<Record<string, string>> | undefined): Context {
  return carrier === undefined ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, carrier);
}
