/** `validateAgentCard`: 1.0 and 0.3 cards, endpoint choice over the three bindings, URLs, and named-field errors. */
import { describe, expect, it } from 'vitest';

import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import { validateAgentCard } from '../../src/remote/agent-card.js';

const CARD_URL = 'https://agents.example.com/weather/.well-known/agent-card.json';

function v1Card(interfaces: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'weather',
    description: 'Forecasts',
    version: '2.1.0',
    supportedInterfaces: interfaces,
    ...extra,
  };
}

function invalid(card: unknown, cardUrl = CARD_URL): GatewayError {
  try {
    validateAgentCard(card, cardUrl);
  } catch (error) {
    if (GatewayError.is(error)) {
      expect(error.code).toBe(ErrorCode.INVALID_AGENT_CARD);
      return error;
    }
    throw error;
  }
  throw new Error('expected the card to be rejected');
}

describe('A2A 1.0 cards', () => {
  it('takes the first callable interface, skipping unknown bindings and versions, and keeps name, description, version', () => {
    const card = v1Card([
      { url: 'grpc.example.com:443', protocolBinding: 'GRPC', protocolVersion: '0.3' },
      {
        url: 'https://agents.example.com/weather/rest',
        protocolBinding: 'HTTP+JSON',
        protocolVersion: '2.0',
      },
      { url: 'wss://agents.example.com/weather/ws', protocolBinding: 'WEBSOCKET', protocolVersion: '1.0' },
      {
        url: 'https://agents.example.com/weather/rpc',
        protocolBinding: 'JSONRPC',
        protocolVersion: '1.0',
        tenant: 't-1',
      },
      {
        url: 'https://agents.example.com/weather/rest',
        protocolBinding: 'HTTP+JSON',
        protocolVersion: '1.0',
      },
    ]);
    const result = validateAgentCard(card, CARD_URL);
    expect(result).toEqual({
      card,
      endpoint: {
        url: 'https://agents.example.com/weather/rpc',
        protocolBinding: 'JSONRPC',
        protocolVersion: '1.0',
        tenant: 't-1',
      },
      name: 'weather',
      description: 'Forecasts',
      version: '2.1.0',
    });
  });

  it('takes an HTTP+JSON interface listed first, resolving its URL and keeping its tenant', () => {
    const result = validateAgentCard(
      v1Card([
        { url: '../rest', protocolBinding: 'http+json', protocolVersion: '1.0', tenant: 'acme' },
        { url: 'https://a.example/rpc', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
      ]),
      CARD_URL,
    );
    expect(result.endpoint).toEqual({
      url: 'https://agents.example.com/weather/rest',
      protocolBinding: 'HTTP+JSON',
      protocolVersion: '1.0',
      tenant: 'acme',
    });
  });

  it('takes a GRPC interface listed first, keeping its host:port as written', () => {
    const result = validateAgentCard(
      v1Card([
        { url: 'grpc.example.com:8443', protocolBinding: 'GRPC', protocolVersion: '1.2' },
        { url: 'https://a.example/rpc', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
      ]),
      CARD_URL,
    );
    expect(result.endpoint).toEqual({
      url: 'grpc.example.com:8443',
      protocolBinding: 'GRPC',
      protocolVersion: '1.0',
    });
  });

  it.each([
    '127.0.0.1:50051',
    '[::1]:50051',
    'grpc://h.example:50051',
    'grpcs://h.example:443',
    'https://h.example',
  ])('accepts the gRPC URL %s as written', (url) => {
    const card = v1Card([{ url, protocolBinding: 'GRPC', protocolVersion: '1.0' }]);
    expect(validateAgentCard(card, CARD_URL).endpoint.url).toBe(url);
  });

  it.each([
    ['grpc.example.com', 'names no port'],
    ['grpcs://grpc.example.com', 'names no port'],
    ['grpc://:50051', 'is not host:port'],
    ['ftp://grpc.example.com:21', 'must be host:port or a grpc(s) or http(s) URL (got ftp)'],
  ])('rejects the gRPC URL %s (%s)', (url, reason) => {
    const error = invalid(v1Card([{ url, protocolBinding: 'GRPC', protocolVersion: '1.0' }]));
    expect(error.details['field']).toBe('supportedInterfaces[0].url');
    expect(error.message).toContain(reason);
  });

  it('prefers a 1.x JSONRPC interface over an earlier 0.3 one, and treats an empty tenant as none', () => {
    const result = validateAgentCard(
      v1Card([
        { url: 'https://a.example/v03', protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
        { url: 'https://a.example/v1', protocolBinding: 'JSONRPC', protocolVersion: '1.1', tenant: '' },
      ]),
      CARD_URL,
    );
    expect(result.endpoint).toEqual({
      url: 'https://a.example/v1',
      protocolBinding: 'JSONRPC',
      protocolVersion: '1.0',
    });
  });

  it('prefers 1.x over 0.3 among JSONRPC interfaces only: other bindings keep their card order', () => {
    const http = { url: 'https://a.example/rest', protocolBinding: 'HTTP+JSON', protocolVersion: '1.0' };
    const v03 = { url: 'https://a.example/v03', protocolBinding: 'JSONRPC', protocolVersion: '0.3' };
    const v1 = { url: 'https://a.example/v1', protocolBinding: 'JSONRPC', protocolVersion: '1.0' };
    expect(validateAgentCard(v1Card([v03, http, v1]), CARD_URL).endpoint.protocolBinding).toBe('HTTP+JSON');
    expect(validateAgentCard(v1Card([v03, http]), CARD_URL).endpoint).toEqual({
      url: 'https://a.example/v03',
      protocolBinding: 'JSONRPC',
      protocolVersion: '0.3',
    });
  });

  it('falls back to a 0.3 JSONRPC interface', () => {
    const result = validateAgentCard(
      v1Card([{ url: 'https://a.example/rpc', protocolBinding: 'JSONRPC', protocolVersion: '0.3' }]),
      CARD_URL,
    );
    expect(result.endpoint.protocolVersion).toBe('0.3');
  });

  it('resolves relative interface URLs against the card URL', () => {
    const result = validateAgentCard(
      v1Card([{ url: '/weather/a2a/jsonrpc', protocolBinding: 'JSONRPC', protocolVersion: '1.0' }]),
      CARD_URL,
    );
    expect(result.endpoint.url).toBe('https://agents.example.com/weather/a2a/jsonrpc');
    const sibling = validateAgentCard(
      v1Card([{ url: '../rpc', protocolBinding: 'JSONRPC', protocolVersion: '1.0' }]),
      CARD_URL,
    );
    expect(sibling.endpoint.url).toBe('https://agents.example.com/weather/rpc');
  });

  it('names the missing or wrong field', () => {
    const noName = invalid({ supportedInterfaces: [] });
    expect(noName.details['field']).toBe('name');
    expect(noName.message).toContain('name: required');

    const badInterface = invalid(v1Card([{ url: 'https://a.example/rpc', protocolBinding: 'JSONRPC' }]));
    expect(badInterface.details['field']).toBe('supportedInterfaces[0].protocolVersion');
    expect(badInterface.message).toContain('supportedInterfaces[0].protocolVersion: required');

    const noCallable = invalid(
      v1Card([
        { url: 'a.example:443', protocolBinding: 'GRPC', protocolVersion: '0.3' },
        { url: 'https://a.example/rest', protocolBinding: 'HTTP+JSON', protocolVersion: '0.3' },
      ]),
    );
    expect(noCallable.details['field']).toBe('supportedInterfaces');
    expect(noCallable.message).toContain(
      'supportedInterfaces: no interface the gateway can call (JSONRPC 1.x/0.3, HTTP+JSON 1.x, GRPC 1.x); found GRPC 0.3, HTTP+JSON 0.3',
    );

    const future = invalid(
      v1Card([{ url: 'https://a.example', protocolBinding: 'JSONRPC', protocolVersion: '2.0' }]),
    );
    expect(future.message).toContain('found JSONRPC 2.0');
    expect(invalid(v1Card([])).message).toContain('found none');

    const neither = invalid({ name: 'x' });
    expect(neither.details['field']).toBe('supportedInterfaces');

    expect(invalid([]).details['field']).toBe('card');
    expect(invalid('card').message).toContain(CARD_URL);
  });

  it('rejects non-http(s) interface URLs', () => {
    const error = invalid(
      v1Card([{ url: 'file:///etc/passwd', protocolBinding: 'JSONRPC', protocolVersion: '1.0' }]),
    );
    expect(error.details['field']).toBe('supportedInterfaces[0].url');
    expect(error.message).toContain('must be an http(s) URL (got file)');
  });
});

describe('A2A 0.3 cards', () => {
  const v03 = {
    name: 'legacy',
    description: 'Old agent',
    version: '0.1.0',
    protocolVersion: '0.3.0',
    url: 'https://legacy.example/grpc',
    preferredTransport: 'GRPC',
    additionalInterfaces: [
      { url: 'https://legacy.example/grpc', transport: 'GRPC' },
      { url: 'https://legacy.example/rest', transport: 'HTTP+JSON' },
      { url: 'https://legacy.example/rpc', transport: 'JSONRPC' },
    ],
  };

  it('finds the JSONRPC interface among url + preferredTransport and additionalInterfaces (0.3 HTTP+JSON and GRPC skipped)', () => {
    expect(validateAgentCard(v03, CARD_URL).endpoint).toEqual({
      url: 'https://legacy.example/rpc',
      protocolBinding: 'JSONRPC',
      protocolVersion: '0.3',
    });
  });

  it('uses url when preferredTransport is absent (JSONRPC by default), resolving it against the card URL', () => {
    const result = validateAgentCard({ name: 'legacy', protocolVersion: '0.3.0', url: '/rpc' }, CARD_URL);
    expect(result.endpoint).toEqual({
      url: 'https://agents.example.com/rpc',
      protocolBinding: 'JSONRPC',
      protocolVersion: '0.3',
    });
  });

  it('rejects unsupported versions and bad URLs with the field named', () => {
    const old = invalid({ name: 'legacy', protocolVersion: '0.2.5', url: 'https://legacy.example/rpc' });
    expect(old.details['field']).toBe('protocolVersion');
    const ftp = invalid({ name: 'legacy', protocolVersion: '0.3.0', url: 'ftp://legacy.example/rpc' });
    expect(ftp.details['field']).toBe('url');
    const noRpc = invalid({
      ...v03,
      additionalInterfaces: [{ url: 'https://legacy.example/grpc', transport: 'GRPC' }],
    });
    expect(noRpc.details['field']).toBe('additionalInterfaces');
    expect(noRpc.message).toContain('no interface the gateway can call');
    expect(noRpc.message).toContain('found GRPC 0.3.0');
  });
});
