/**
 * The façade's agent card: the registered agent's own card, with every interface pointing at the
 * gateway. Pure (no I/O), so the rules are tested on their own.
 *
 * - The agent's interfaces keep their order; each becomes the gateway's interface for the same binding
 *   (JSON-RPC at `/a2a/NAME`, HTTP+JSON at `/a2a/NAME/rest`, gRPC at the gateway's gRPC address with
 *   `tenant` = NAME). Bindings the gateway cannot serve (custom URIs, 0.3 HTTP+JSON or gRPC) are dropped.
 * - The gateway bridges bindings, so the bindings the agent lacks are appended (1.0), and a 0.3 JSON-RPC
 *   interface last: every agent is reachable on all three bindings and in the 0.3 dialect.
 * - Everything else is kept as the agent wrote it (name, skills, capabilities, extensions, modes), except:
 *   - `signatures`: a signature covers the interface URLs, so once they are rewritten it no longer
 *     verifies. The gateway drops it rather than serve a card that fails verification (re-signing with
 *     a gateway key would need key management the gateway does not have yet).
 *   - security schemes and requirements (also per skill): the card says how to call the gateway, and the
 *     gateway calls the agent with the credentials registered for it, never with the caller's; the
 *     agent's schemes would ask callers for credentials the gateway does not want.
 *   - the 0.3 fields of a 0.3 agent's card: the façade speaks 1.0 and 0.3 whatever the agent speaks, and
 *     `cardForVersion` writes the 0.3 fields for the gateway's own interfaces.
 */
import { createHash } from 'node:crypto';

import { A2ABinding, type JsonObject } from '../a2a/operations.js';
import { toV03AgentCard } from '../a2a/v03-dialect.js';
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

function facadeUrls(
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

/** A binding name as cards spell it (case-insensitively); '' for anything that is not a string. */
function bindingName(value: unknown): string {
  return typeof value === 'string' ? value.toUpperCase() : '';
}

/** The agent's interfaces as (binding, version) pairs, in the card's order. */
function agentInterfaces(card: JsonObject): { binding: string; version: '1.0' | '0.3' | undefined }[] {
  if (Array.isArray(card.supportedInterfaces)) {
    return (card.supportedInterfaces as unknown[]).map((entry) => {
      const i = (typeof entry === 'object' && entry !== null ? entry : {}) as JsonObject;
      return {
        binding: bindingName(i.protocolBinding),
        version: majorMinor(i.protocolVersion),
      };
    });
  }
  // A 0.3 card: the preferred transport at `url`, then the additional ones, all in the card's version.
  const version = majorMinor(card.protocolVersion ?? '0.3');
  const additional = Array.isArray(card.additionalInterfaces)
    ? (card.additionalInterfaces as JsonObject[]).map((i) => bindingName(i.transport))
    : [];
  const preferred = bindingName(card.preferredTransport ?? A2ABinding.JSONRPC);
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

  const kept = Object.fromEntries(Object.entries(card).filter(([field]) => !NOT_KEPT.has(field)));
  const skills = Array.isArray(card.skills)
    ? (card.skills as unknown[]).map((skill) =>
        typeof skill === 'object' && skill !== null
          ? Object.fromEntries(Object.entries(skill).filter(([field]) => field !== 'securityRequirements'))
          : skill,
      )
    : card.skills;
  return { ...kept, supportedInterfaces: interfaces, ...(skills !== undefined && { skills }) };
}

/** Fields of the agent's card the façade card leaves out (see the header comment). */
const NOT_KEPT: ReadonlySet<string> = new Set([
  'signatures',
  'securitySchemes',
  'securityRequirements',
  'security',
  'url',
  'preferredTransport',
  'additionalInterfaces',
  'protocolVersion',
  'supportsAuthenticatedExtendedCard',
]);

/** The 0.3 fields a 0.3 client reads to find the agent; 1.0 clients ignore them. */
const V03_LOCATOR_FIELDS = [
  'url',
  'preferredTransport',
  'additionalInterfaces',
  'protocolVersion',
  'supportsAuthenticatedExtendedCard',
] as const;

/**
 * The façade card as a caller asking for `version` gets it: 1.x the 1.0 card, 0.3 the card in 0.3's
 * shape. A caller that names no version may be a 0.3 client (which never sent `A2A-Version`) or a 1.0
 * client that did not bother: it gets the 1.0 card plus the fields 0.3 clients locate an agent by, which
 * 1.0 readers ignore as unknown fields.
 */
export function cardForVersion(card: JsonObject, version: '1.0' | '0.3' | undefined): JsonObject {
  if (version === '1.0') return card;
  const v03 = toV03AgentCard(card);
  if (version === '0.3') return v03;
  const locator = Object.fromEntries(
    V03_LOCATOR_FIELDS.filter((field) => v03[field] !== undefined).map((field) => [field, v03[field]]),
  );
  return { ...card, ...locator };
}

/** The served card with its strong ETag (a hash of the exact JSON sent). */
export function servedCard(card: JsonObject): ServedCard {
  const hash = createHash('sha256').update(JSON.stringify(card)).digest('base64url').slice(0, 27);
  return { card, etag: `"${hash}"` };
}
