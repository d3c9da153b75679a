/**
 * Agent-card validation: checks a fetched card (A2A 1.0 `supportedInterfaces`, or a 0.3 card with `url`,
 * `preferredTransport` and `additionalInterfaces`) and chooses the endpoint the gateway calls — the first
 * JSON-RPC interface with a protocol version the client speaks (1.x preferred, else 0.3). Relative URLs are
 * resolved against the card URL. Every failure is an `INVALID_AGENT_CARD` whose `details.field` names the
 * offending field. Fetching the card is the client's job (`UndiciA2AClient.fetchAgentCard`).
 */
import { z } from 'zod';

import type { AgentEndpoint } from '../domain/agent.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { formatPath } from './a2a-schema.js';

/** The binding the gateway calls agents over. */
export const JSONRPC_BINDING = 'JSONRPC';

/** The protocol versions the client speaks, as they appear in `AgentEndpoint.protocolVersion`. */
export const ProtocolVersion = {
  V1_0: '1.0',
  V0_3: '0.3',
} as const;
export type ProtocolVersion = (typeof ProtocolVersion)[keyof typeof ProtocolVersion];

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

function resolveUrl(candidate: Candidate, cardUrl: string): string {
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

/** Picks the first JSON-RPC candidate with a 1.x version, else the first with 0.3. */
function chooseEndpoint(candidates: readonly Candidate[], listField: string, cardUrl: string): AgentEndpoint {
  const jsonRpc = candidates.filter((c) => c.binding.toUpperCase() === JSONRPC_BINDING);
  if (jsonRpc.length === 0) {
    throw invalidCard(cardUrl, listField, 'no JSONRPC interface (the gateway calls agents over JSON-RPC)');
  }
  const chosen =
    jsonRpc.find((c) => supportedVersion(c.version) === ProtocolVersion.V1_0) ??
    jsonRpc.find((c) => supportedVersion(c.version) === ProtocolVersion.V0_3);
  if (chosen === undefined) {
    const found = [...new Set(jsonRpc.map((c) => c.version))].join(', ');
    throw invalidCard(
      cardUrl,
      listField,
      `no JSONRPC interface with a supported protocolVersion (supported: 1.x, 0.3; found ${found})`,
    );
  }
  const version = supportedVersion(chosen.version) ?? ProtocolVersion.V1_0;
  return {
    url: resolveUrl(chosen, cardUrl),
    protocolBinding: JSONRPC_BINDING,
    protocolVersion: version,
    ...(chosen.tenant === undefined || chosen.tenant === '' ? {} : { tenant: chosen.tenant }),
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
      { url: value.url, binding: value.preferredTransport ?? JSONRPC_BINDING, version, field: 'url' },
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
