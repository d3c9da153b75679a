/**
 * Artifact: output kept by the gateway (the seed's `Artifact`, `ArtifactLocation`, `Checksum`).
 * Content is inline when small and in a file under the data directory when large; a sha256 checksum is
 * always recorded. Deciding where content goes is the artifact service's job (`src/app`), not the model's.
 */
import { DEFAULT_TENANT, newId, type ArtifactId, type RunId, type StepId } from './ids.js';
import { now, type Timestamp } from './time.js';

export type ArtifactLocation =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'http'; readonly url: string }
  | { readonly kind: 'cloudStorage'; readonly uri: string }
  | { readonly kind: 'inline'; readonly content: Uint8Array };

export interface Checksum {
  readonly algorithm: string;
  readonly value: string;
}

export function sha256Checksum(value: string): Checksum {
  return { algorithm: 'sha256', value };
}

export interface Artifact {
  readonly id: ArtifactId;
  readonly tenant: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly location: ArtifactLocation;
  readonly checksum?: Checksum;
  readonly createdAt: Timestamp;
  readonly sourceRunId?: RunId;
  readonly sourceStepId?: StepId;
  /** The agent's own id for the artifact (A2A `artifactId`). */
  readonly remoteArtifactId?: string;
}

export interface NewArtifactOptions {
  readonly name: string;
  readonly contentType: string;
  readonly location: ArtifactLocation;
  readonly size?: number;
  readonly checksum?: Checksum;
  readonly tenant?: string;
  readonly sourceRunId?: RunId;
  readonly sourceStepId?: StepId;
  readonly remoteArtifactId?: string;
  readonly id?: ArtifactId;
  readonly at?: Timestamp;
}

export function newArtifact(options: NewArtifactOptions): Artifact {
  return {
    id: options.id ?? newId(),
    tenant: options.tenant ?? DEFAULT_TENANT,
    name: options.name,
    contentType: options.contentType,
    size: options.size ?? 0,
    location: options.location,
    createdAt: options.at ?? now(),
    ...(options.checksum !== undefined && { checksum: options.checksum }),
    ...(options.sourceRunId !== undefined && { sourceRunId: options.sourceRunId }),
    ...(options.sourceStepId !== undefined && { sourceStepId: options.sourceStepId }),
    ...(options.remoteArtifactId !== undefined && { remoteArtifactId: options.remoteArtifactId }),
  };
}
