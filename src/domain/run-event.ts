/**
 * Run events: every persisted change to a run, its steps or its artifacts is published as one event
 * carrying the run's new `version` as `seq`. Watchers use `seq` to join a run late without a gap or a
 * duplicate: subscribe, read the snapshot (whose `version` says which events it already reflects), then
 * deliver only events with a larger `seq`.
 */
import type { Artifact } from './artifact.js';
import type { RunId } from './ids.js';
import type { Run } from './run.js';
import type { Step } from './step.js';

export type RunEvent =
  | { readonly type: 'run'; readonly runId: RunId; readonly seq: number; readonly run: Run }
  | { readonly type: 'step'; readonly runId: RunId; readonly seq: number; readonly step: Step }
  | {
      readonly type: 'artifact';
      readonly runId: RunId;
      readonly seq: number;
      /** Artifact metadata; inline content is never put on the bus. */
      readonly artifact: Artifact;
    };
