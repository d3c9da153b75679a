import { describe, expect, it } from 'vitest';

import type { JsonObject } from '../../src/a2a/operations.js';
import { cardForVersion, rewriteAgentCard, servedCard } from '../../src/facade/agent-card-rewrite.js';

const addresses = { httpBaseUrl: 'https://gw.example.com', grpcAddress: 'gw.example.com:443' };
const JSONRPC = 'https://gw.example.com/a2a/echo';
const REST = 'https://gw.example.com/a2a/echo/rest';

function v1Card(interfaces: { binding: string; version: string }[]): JsonObject {
  return {
    name: 'echo',
    description: 'echoes',
    version: '2.1.0',
    supportedInterfaces: interfaces.map(({ binding, version }) => ({
      url: `http://agent.internal/${binding}`,
      protocolBinding: binding,
      protocolVersion: version,
      tenant: 'agent-side-tenant',
    })),
    capabilities: {
      streaming: true,
      pushNotifications: true,
      extensions: [{ uri: 'urn:x', required: false }],
    },
    securitySchemes: { bearer: { httpAuthSecurityScheme: { scheme: 'Bearer' } } },
    securityRequirements: [{ schemes: { bearer: { list: [] } } }],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [{ id: 's', name: 's', description: 'd', tags: ['t'] }],
    signatures: [{ protected: 'eyJhbGciOiJFUzI1NiJ9', signature: 'c2ln' }],
  };
}

describe('rewriteAgentCard', () => {
  it("keeps the agent's interface order, points each at the gateway, then adds the bindings it lacks", () => {
    const card = rewriteAgentCard(
      v1Card([
        { binding: 'GRPC', version: '1.0' },
        { binding: 'JSONRPC', version: '1.0' },
      ]),
      'echo',
      addresses,
    );
    expect(card.supportedInterfaces).toEqual([
      { url: 'gw.example.com:443', protocolBinding: 'GRPC', protocolVersion: '1.0', tenant: 'echo' },
      { url: JSONRPC, protocolBinding: 'JSONRPC', protocolVersion: '1.0', tenant: '' },
      { url: REST, protocolBinding: 'HTTP+JSON', protocolVersion: '1.0', tenant: '' },
      { url: JSONRPC, protocolBinding: 'JSONRPC', protocolVersion: '0.3', tenant: '' },
    ]);
  });

  it("keeps the agent's other fields, without signatures (the rewrite breaks them) or security schemes (the gateway's business)", () => {
    const original = v1Card([{ binding: 'HTTP+JSON', version: '1.0' }]);
    const card = rewriteAgentCard(original, 'echo', addresses);
    expect(card).toEqual({
      name: 'echo',
      description: 'echoes',
      version: '2.1.0',
      capabilities: original.capabilities,
      defaultInputModes: ['text/plain'],
      defaultOutputModes: ['text/plain'],
      skills: [{ id: 's', name: 's', description: 'd', tags: ['t'] }],
      supportedInterfaces: card.supportedInterfaces,
    });
    expect(original.signatures).toHaveLength(1); // the registered card is not modified
  });

  it('drops what it cannot serve (custom bindings, 0.3 HTTP+JSON and gRPC) and keeps a 1.x minor as written', () => {
    const card = rewriteAgentCard(
      v1Card([
        { binding: 'urn:custom:binding', version: '1.0' },
        { binding: 'HTTP+JSON', version: '0.3' },
        { binding: 'JSONRPC', version: '1.2' },
      ]),
      'echo',
      addresses,
    );
    expect(
      (card.supportedInterfaces as JsonObject[]).map((i) => [i.protocolBinding, i.protocolVersion]),
    ).toEqual([
      ['JSONRPC', '1.0'],
      ['HTTP+JSON', '1.0'],
      ['GRPC', '1.0'],
      ['JSONRPC', '0.3'],
    ]);
  });

  it("turns a 0.3 agent's card into a 1.0 card for the gateway's interfaces", () => {
    const card = rewriteAgentCard(
      {
        name: 'old',
        protocolVersion: '0.3.0',
        url: 'http://agent.internal/rpc',
        preferredTransport: 'JSONRPC',
        additionalInterfaces: [{ url: 'http://agent.internal/rpc', transport: 'JSONRPC' }],
        capabilities: {},
        skills: [],
      },
      'old',
      addresses,
    );
    const rpc = 'https://gw.example.com/a2a/old';
    expect(card).not.toHaveProperty('url');
    expect(card).not.toHaveProperty('protocolVersion');
    expect((card.supportedInterfaces as JsonObject[])[0]).toEqual({
      url: rpc,
      protocolBinding: 'JSONRPC',
      protocolVersion: '0.3',
      tenant: '',
    });
  });

  it('encodes the agent name in URLs', () => {
    const card = rewriteAgentCard(v1Card([{ binding: 'JSONRPC', version: '1.0' }]), 'a.b_c-d', addresses);
    expect((card.supportedInterfaces as JsonObject[])[0]?.url).toBe('https://gw.example.com/a2a/a.b_c-d');
  });
});

describe('servedCard', () => {
  it('gives equal cards the same strong ETag and different cards different ones', () => {
    const card = rewriteAgentCard(v1Card([{ binding: 'JSONRPC', version: '1.0' }]), 'echo', addresses);
    const again = rewriteAgentCard(v1Card([{ binding: 'JSONRPC', version: '1.0' }]), 'echo', addresses);
    const other = rewriteAgentCard(v1Card([{ binding: 'GRPC', version: '1.0' }]), 'echo', addresses);
    expect(servedCard(card).etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(servedCard(card).etag).toBe(servedCard(again).etag);
    expect(servedCard(card).etag).not.toBe(servedCard(other).etag);
  });
});

describe('cardForVersion', () => {
  const card = rewriteAgentCard(v1Card([{ binding: 'GRPC', version: '1.0' }]), 'echo', addresses);

  it('gives a 1.x caller the 1.0 card as it is', () => {
    expect(cardForVersion(card, '1.0')).toBe(card);
  });

  it("gives a 0.3 caller a 0.3 card locating the gateway's 0.3 JSON-RPC interface", () => {
    const v03 = cardForVersion(card, '0.3');
    expect(v03).not.toHaveProperty('supportedInterfaces');
    expect(v03).toMatchObject({ url: JSONRPC, preferredTransport: 'JSONRPC', name: 'echo' });
    expect(String(v03.protocolVersion)).toMatch(/^0\.3/);
  });

  it('gives a caller that names no version the 1.0 card plus the 0.3 locator fields', () => {
    const both = cardForVersion(card, undefined);
    expect(both.supportedInterfaces).toEqual(card.supportedInterfaces);
    expect(both).toMatchObject({ url: JSONRPC, preferredTransport: 'JSONRPC' });
    expect(String(both.protocolVersion)).toMatch(/^0\.3/);
  });
});
