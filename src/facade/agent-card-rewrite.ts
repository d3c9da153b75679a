/**
 * The façade's agent card: the registered agent's own card, with every interface pointing at the
 * gateway. Pure (no I/O), so the rules are tested on their own.
 *
 * - The agent's interfaces keep their order; each becomes the gateway's interface for the same binding
 *   (JSON-RPC at `/a2a/NAME`, HTTP+JSON at `/a2a/NAME/rest`, gRPC at the gateway's gRPC address with
 *   `tenant` = NAME). Bindings the gateway cannot serve (custom URIs, 0.3 HTTP+JSON or gRPC) are dropped.
 * - The gateway bridges bindings, so the bindings the agent lacks are appended (1.0), and a 0.3 JSON-RPC
 *   interface last: every agent is reachable on all three bindings and in the 0.3 dialect.
 * - Everything else is kept as the agent wrote it (skills, capabilities, security schemes, extensions),
 *   except `signatures`: a signature covers the interface URLs, so once they are rewritten it no longer
 *   verifies. The gateway drops it rather than serve a card that fails verification (re-signing with a
 *   gateway key would need key management the gateway does not have yet).
 * - A 0.3-shaped card also gets its 0.3 fields rewritten (`url`, `preferredTransport`,
 *   `additionalInterfaces`), so 0.3 clients reading them reach the gateway too.
 */
import { createHash } from 'node:crypto';

import { A2ABinding, type JsonObject } from '../a2a/operations.js';
import type { FacadeAddresses, ServedCard } from './a2a-facade.js';

/** Where the HTTP+JSON binding of an agent lives, below its JSON-RPC URL. */
export const FACADE_REST_SEGMENT = 'rest';
/** Mount point of the façade on the HTTP port. */
export const FACADE_PATH_PREFIX = '/a2a';

interface FacadeInterface {
  readonly url: string;
  readonly protocolBinding: string;
  readonly protocolVersion: string;
  readonly tenant: string;
}

export function facadeUrls(
  agent: string,
  addresses: FacadeAddresses,
): { jsonRpc: string; rest: string; grpc: string } {
  const jsonRpc = `${addresses.httpBaseUrl}${FACADE_PATH_PREFIX}/${encodeURIComponent(agent)}`;
  return { jsonRpc, rest: `${jsonRpc}/${FACADE_REST_SEGMENT}`, grpc: addresses.grpcAddress };
}

/** `1.x` → '1.0', `0.3[.x]` → '0.3', else undefined. */
function majorMinor(version: unknown): '1.0' | '0.3' | undefined {
  if (typeof version !== 'string') return undefined;
  if (/^1\.\d+$/.test(version)) return '1.0';
  if (/^0\.3(\.\d+)?$/.test(version)) return '0.3';
  return undefined;
}

/** The agent's interfaces as (binding, version) pairs, in the card's order. */
function agentInterfaces(card: JsonObject): { binding: string; version: '1.0' | '0.3' | undefined }[] {
  if (Array.isArray(card.supportedInterfaces)) {
    return (card.supportedInterfaces as unknown[]).map((entry) => {
      const i = (typeof entry === 'object' && entry !== null ? entry : {}) as JsonObject;
      return {
        binding: String(i.protocolBinding ?? '').toUpperCase(),
        version: majorMinor(i.protocolVersion),
      };
    });
  }
  // A 0.3 card: the preferred transport at `url`, then the additional ones, all in the card's version.
  const version = majorMinor(card.protocolVersion ?? '0.3');
  const additional = Array.isArray(card.additionalInterfaces)
    ? (card.additionalInterfaces as JsonObject[]).map((i) => String(i.transport ?? '').toUpperCase())
    : [];
  const preferred = String(card.preferredTransport ?? A2ABinding.JSONRPC).toUpperCase();
  return [preferred, ...additional].map((binding) => ({ binding, version }));
}

export function rewriteAgentCard(card: JsonObject, agent: string, addresses: FacadeAddresses): JsonObject {
  const urls = facadeUrls(agent, addresses);
  const served = (binding: string, version: '1.0' | '0.3'): FacadeInterface | undefined => {
    switch (binding) {
      case A2ABinding.JSONRPC:
        return { url: urls.jsonRpc, protocolBinding: binding, protocolVersion: version, tenant: '' };
      case A2ABinding.HTTP_JSON:
        return version === '1.0'
          ? { url: urls.rest, protocolBinding: binding, protocolVersion: version, tenant: '' }
          : undefined;
      case A2ABinding.GRPC:
        return version === '1.0'
          ? { url: urls.grpc, protocolBinding: binding, protocolVersion: version, tenant: agent }
          : undefined;
      default:
        return undefined;
    }
  };
  const interfaces: FacadeInterface[] = [];
  const add = (candidate: FacadeInterface | undefined): void => {
    const duplicate = interfaces.some(
      (i) =>
        candidate !== undefined &&
        i.protocolBinding === candidate.protocolBinding &&
        i.protocolVersion === candidate.protocolVersion,
    );
    if (candidate !== undefined && !duplicate) interfaces.push(candidate);
  };
  for (const { binding, version } of agentInterfaces(card)) {
    if (version !== undefined) add(served(binding, version));
  }
  for (const binding of [A2ABinding.JSONRPC, A2ABinding.HTTP_JSON, A2ABinding.GRPC])
    add(served(binding, '1.0'));
  add(served(A2ABinding.JSONRPC, '0.3'));

  const { signatures: _unverifiable, ...rest } = card;
  const rewritten: JsonObject = { ...rest, supportedInterfaces: interfaces };
  if ('url' in card || 'preferredTransport' in card || 'additionalInterfaces' in card) {
    rewritten.url = urls.jsonRpc;
    rewritten.preferredTransport = A2ABinding.JSONRPC;
    rewritten.additionalInterfaces = [{ url: urls.jsonRpc, transport: A2ABinding.JSONRPC }];
  }
  return rewritten;
}

/** The served card with its strong ETag (a hash of the exact JSON sent). */
export function servedCard(card: JsonObject): ServedCard {
  const hash = createHash('sha256').update(JSON.stringify(card)).digest('base64url').slice(0, 27);
  return { card, etag: `"${hash}"` };
}
