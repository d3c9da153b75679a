/**
 * Agent-card validation: checks a fetched card (A2A 1.0 `supportedInterfaces`, or a 0.3 card with `url`,
 * `preferredTransport` and `additionalInterfaces`) and chooses the endpoint the gateway calls — the first
 * interface, in the card's order, that the gateway can call: JSONRPC 1.x or 0.3, HTTP+JSON 1.x, GRPC 1.x.
 * A JSONRPC 1.x interface is preferred over a 0.3 one wherever it sits; 0.3 cards offer JSON-RPC only
 * (0.3 HTTP+JSON and gRPC are other protocols). HTTP URLs are resolved against the card URL; gRPC URLs
 * (`host:port`, or a `grpc(s)://` / `http(s)://` URL) are kept as written for the gRPC transport. Every
 * failure is an `INVALID_AGENT_CARD` whose `details.field` names the offending field. Fetching the card is
 * the client's job (`BindingA2AClient.fetchAgentCard`).
 */
import { z } from 'zod';

import { A2ABinding } from '../a2a/operations.js';
import type { AgentEndpoint } from '../domain/agent.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { formatPath } from './a2a-schema.js';

/** The protocol versions the client speaks, as they appear in `AgentEndpoint.protocolVersion`. */
export const ProtocolVersion = {
  V1_0: '1.0',
  V0_3: '0.3',
} as const;
export type ProtocolVersion = (typeof ProtocolVersion)[keyof typeof ProtocolVersion];

/** True when the endpoint speaks the A2A 0.3 dialect (only JSON-RPC endpoints are chosen with 0.3). */
export function isV03(endpoint: AgentEndpoint): boolean {
  return endpoint.protocolVersion === ProtocolVersion.V0_3;
}

/** What the gateway can call, for error messages. */
const CALLABLE_INTERFACES = 'JSONRPC 1.x/0.3, HTTP+JSON 1.x, GRPC 1.x';

export interface ValidatedAgentCard {
  /** The card as received (unknown fields kept). */
  readonly card: Record<string, unknown>;
  /** The interface the gateway calls. */
  readonly endpoint: AgentEndpoint;
  readonly name?: string;
  readonly description?: string;
  readonly version?: string;
}

function requiredString(): z.ZodString {
  return z.string({ error: (issue) => (issue.input === undefined ? 'required' : 'must be a string') });
}

const optionalString = z.string({ error: 'must be a string' }).optional();

const v1InterfaceSchema = z.looseObject({
  url: requiredString().min(1, 'required'),
  protocolBinding: requiredString().min(1, 'required'),
  protocolVersion: requiredString().min(1, 'required'),
  tenant: optionalString,
});

const v03InterfaceSchema = z.looseObject({
  url: requiredString().min(1, 'required'),
  transport: requiredString().min(1, 'required'),
});

const cardSchema = z.looseObject({
  name: requiredString().min(1, 'required'),
  description: optionalString,
  version: optionalString,
  supportedInterfaces: z.array(v1InterfaceSchema, { error: 'must be an array' }).optional(),
  // 0.3 fields.
  url: optionalString,
  preferredTransport: optionalString,
  additionalInterfaces: z.array(v03InterfaceSchema, { error: 'must be an array' }).optional(),
  protocolVersion: optionalString,
});

function invalidCard(cardUrl: string, field: string, reason: string): GatewayError {
  return new GatewayError(
    ErrorCode.INVALID_AGENT_CARD,
    `invalid agent card at ${cardUrl}: ${field}: ${reason}`,
    {
      details: { field, reason, cardUrl },
    },
  );
}

/** `1.0`, `1.2` → '1.0' (any 1.x is spoken as 1.0); `0.3`, `0.3.0` → '0.3'; anything else → undefined. */
function supportedVersion(version: string): ProtocolVersion | undefined {
  if (/^1\.\d+$/.test(version)) return ProtocolVersion.V1_0;
  if (/^0\.3(\.\d+)?$/.test(version)) return ProtocolVersion.V0_3;
  return undefined;
}

interface Candidate {
  readonly url: string;
  readonly binding: string;
  readonly version: string;
  readonly tenant?: string;
  /** Where the candidate's URL sits in the card, for error messages. */
  readonly field: string;
}

function resolveHttpUrl(candidate: Candidate, cardUrl: string): string {
  let url: URL;
  try {
    url = new URL(candidate.url, cardUrl);
  } catch {
    throw invalidCard(cardUrl, candidate.field, `'${candidate.url}' is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidCard(
      cardUrl,
      candidate.field,
      `must be an http(s) URL (got ${url.protocol.replace(/:$/, '')})`,
    );
  }
  return url.href;
}

const GRPC_URL_SCHEMES: ReadonlySet<string> = new Set(['grpc:', 'grpcs:', 'http:', 'https:']);

/** Checks a gRPC interface URL names a host and a port; returns it as written. */
function checkGrpcUrl(candidate: Candidate, cardUrl: string): string {
  const written = candidate.url;
  const hasScheme = /^[a-z][a-z\d+.-]*:\/\//i.test(written);
  let url: URL;
  try {
    url = new URL(hasScheme ? written : `grpc://${written}`);
  } catch {
    throw invalidCard(cardUrl, candidate.field, `'${written}' is not host:port`);
  }
  if (!GRPC_URL_SCHEMES.has(url.protocol)) {
    throw invalidCard(
      cardUrl,
      candidate.field,
      `must be host:port or a grpc(s) or http(s) URL (got ${url.protocol.replace(/:$/, '')})`,
    );
  }
  if (url.hostname === '') throw invalidCard(cardUrl, candidate.field, `'${written}' names no host`);
  // http(s) URLs imply their port (and the URL parser drops an explicit default one); others must name it.
  const portImplied = url.protocol === 'http:' || url.protocol === 'https:';
  if (url.port === '' && !portImplied) {
    throw invalidCard(cardUrl, candidate.field, `'${written}' names no port`);
  }
  return written;
}

/** The binding and version the gateway would call a candidate with, or undefined when it cannot. */
function callableAs(candidate: Candidate): { binding: A2ABinding; version: ProtocolVersion } | undefined {
  const binding = Object.values(A2ABinding).find((b) => b === candidate.binding.toUpperCase());
  const version = supportedVersion(candidate.version);
  if (binding === undefined || version === undefined) return undefined;
  // 0.3 HTTP+JSON and gRPC differ from their 1.0 namesakes; only 0.3 JSON-RPC is spoken.
  if (version === ProtocolVersion.V0_3 && binding !== A2ABinding.JSONRPC) return undefined;
  return { binding, version };
}

/** Picks the first callable candidate, skipping JSONRPC 0.3 ones when the card has a JSONRPC 1.x one. */
function chooseEndpoint(candidates: readonly Candidate[], listField: string, cardUrl: string): AgentEndpoint {
  const callable = candidates.flatMap((candidate) => {
    const as = callableAs(candidate);
    return as === undefined ? [] : [{ candidate, ...as }];
  });
  const hasJsonRpc1 = callable.some(
    (c) => c.binding === A2ABinding.JSONRPC && c.version === ProtocolVersion.V1_0,
  );
  const chosen = callable.find((c) => !(hasJsonRpc1 && c.version === ProtocolVersion.V0_3));
  if (chosen === undefined) {
    const found = [...new Set(candidates.map((c) => `${c.binding} ${c.version}`))].join(', ');
    throw invalidCard(
      cardUrl,
      listField,
      `no interface the gateway can call (${CALLABLE_INTERFACES}); found ${found === '' ? 'none' : found}`,
    );
  }
  const { candidate, binding, version } = chosen;
  return {
    url: binding === A2ABinding.GRPC ? checkGrpcUrl(candidate, cardUrl) : resolveHttpUrl(candidate, cardUrl),
    protocolBinding: binding,
    protocolVersion: version,
    ...(candidate.tenant === undefined || candidate.tenant === '' ? {} : { tenant: candidate.tenant }),
  };
}

/**
 * Validates `card` (fetched from `cardUrl`) and chooses the endpoint to call.
 * @throws GatewayError `INVALID_AGENT_CARD` with `details.field` naming the offending field.
 */
export function validateAgentCard(card: unknown, cardUrl: string): ValidatedAgentCard {
  if (typeof card !== 'object' || card === null || Array.isArray(card)) {
    throw invalidCard(cardUrl, 'card', 'not a JSON object');
  }
  const parsed = cardSchema.safeParse(card);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined ? 'card' : formatPath(issue.path) || 'card';
    throw invalidCard(cardUrl, field, issue?.message ?? 'invalid');
  }
  const value = parsed.data;

  let endpoint: AgentEndpoint;
  if (value.supportedInterfaces !== undefined) {
    const candidates = value.supportedInterfaces.map((i, index): Candidate => ({
      url: i.url,
      binding: i.protocolBinding,
      version: i.protocolVersion,
      ...(i.tenant === undefined ? {} : { tenant: i.tenant }),
      field: `supportedInterfaces[${index}].url`,
    }));
    endpoint = chooseEndpoint(candidates, 'supportedInterfaces', cardUrl);
  } else if (value.url !== undefined) {
    const version = value.protocolVersion ?? ProtocolVersion.V0_3;
    if (supportedVersion(version) !== ProtocolVersion.V0_3) {
      throw invalidCard(
        cardUrl,
        'protocolVersion',
        `unsupported version '${version}' for a card without supportedInterfaces`,
      );
    }
    const candidates: Candidate[] = [
      { url: value.url, binding: value.preferredTransport ?? A2ABinding.JSONRPC, version, field: 'url' },
      ...(value.additionalInterfaces ?? []).map((i, index): Candidate => ({
        url: i.url,
        binding: i.transport,
        version,
        field: `additionalInterfaces[${index}].url`,
      })),
    ];
    endpoint = chooseEndpoint(candidates, 'additionalInterfaces', cardUrl);
  } else {
    throw invalidCard(
      cardUrl,
      'supportedInterfaces',
      'required (a 1.0 card lists supportedInterfaces; a 0.3 card has url)',
    );
  }

  return {
    card: card as Record<string, unknown>,
    endpoint,
    name: value.name,
    ...(value.description === undefined ? {} : { description: value.description }),
    ...(value.version === undefined ? {} : { version: value.version }),
  };
}
