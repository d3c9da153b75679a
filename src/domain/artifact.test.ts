/** Tests of Artifact: the seed's artifact test, the builder's defaults and fields, and the locations. */
import { describe, expect, it } from 'vitest';

import { DEFAULT_TENANT, isId, newId } from './ids.js';
import { newArtifact, sha256Checksum, type ArtifactLocation } from './artifact.js';

const T0 = '2025-03-01T10:00:00.000Z';
const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('seed tests', () => {
  it('test_artifact', () => {
    const artifact = newArtifact({
      name: 'output.json',
      contentType: 'application/json',
      location: { kind: 'local', path: '/tmp/out.json' },
      size: 1024,
    });
    expect(artifact.name).toBe('output.json');
    expect(artifact.size).toBe(1024);
  });
});

describe('newArtifact', () => {
  it('fills in the defaults: new id, default tenant, size 0, no checksum, no source', () => {
    const artifact = newArtifact({
      name: 'a.txt',
      contentType: 'text/plain',
      location: { kind: 'http', url: 'https://example.com/a.txt' },
      at: T0,
    });
    expect(artifact).toEqual({
      id: artifact.id,
      tenant: DEFAULT_TENANT,
      name: 'a.txt',
      contentType: 'text/plain',
      size: 0,
      location: { kind: 'http', url: 'https://example.com/a.txt' },
      createdAt: T0,
    });
    expect(isId(artifact.id)).toBe(true);
  });

  it('keeps every field given (the seed builders with_size, with_checksum, from_run, from_step)', () => {
    const id = newId();
    const sourceRunId = newId();
    const sourceStepId = newId();
    const artifact = newArtifact({
      id,
      tenant: 'acme',
      name: 'report.pdf',
      contentType: 'application/pdf',
      location: { kind: 'cloudStorage', uri: 's3://bucket/report.pdf' },
      size: 2048,
      checksum: sha256Checksum(SHA),
      sourceRunId,
      sourceStepId,
      remoteArtifactId: 'artifact-1',
      at: T0,
    });
    expect(artifact).toEqual({
      id,
      tenant: 'acme',
      name: 'report.pdf',
      contentType: 'application/pdf',
      size: 2048,
      location: { kind: 'cloudStorage', uri: 's3://bucket/report.pdf' },
      checksum: { algorithm: 'sha256', value: SHA },
      createdAt: T0,
      sourceRunId,
      sourceStepId,
      remoteArtifactId: 'artifact-1',
    });
  });

  it('gives each artifact its own id', () => {
    const options = {
      name: 'x',
      contentType: 'text/plain',
      location: { kind: 'local', path: '/x' },
    } as const;
    expect(newArtifact(options).id).not.toBe(newArtifact(options).id);
  });

  it.each<ArtifactLocation>([
    { kind: 'local', path: '/data/artifacts/a' },
    { kind: 'http', url: 'https://example.com/a' },
    { kind: 'cloudStorage', uri: 'gs://bucket/a' },
    { kind: 'inline', content: new TextEncoder().encode('hello') },
  ])('keeps a $kind location as given', (location) => {
    expect(newArtifact({ name: 'a', contentType: 'text/plain', location }).location).toEqual(location);
  });
});

describe('sha256Checksum', () => {
  it('names the algorithm', () => {
    expect(sha256Checksum(SHA)).toEqual({ algorithm: 'sha256', value: SHA });
  });
});
