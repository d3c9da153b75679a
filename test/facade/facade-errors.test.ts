import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';

import { A2A_ERROR_DOMAIN, A2A_ERRORS } from '../../src/a2a/a2a-errors.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import { GATEWAY_ERROR_DOMAIN, toA2AWireError } from '../../src/facade/facade-errors.js';

function remote(remoteCode: number, remoteMessage: string, remoteReason?: string): GatewayError {
  return new GatewayError(ErrorCode.REMOTE_ERROR, `agent answered ${remoteCode}`, {
    details: { remoteCode, remoteMessage, ...(remoteReason !== undefined && { remoteReason }) },
  });
}

describe('toA2AWireError', () => {
  it.each(Object.values(A2A_ERRORS))('keeps the meaning of an agent-side $name on every binding', (kind) => {
    expect(toA2AWireError(remote(kind.jsonRpcCode, 'from the agent'))).toEqual({
      jsonRpcCode: kind.jsonRpcCode,
      httpStatus: kind.httpStatus,
      grpcStatus: kind.grpcStatus,
      reason: kind.reason,
      domain: A2A_ERROR_DOMAIN,
      message: 'from the agent',
    });
  });

  it('follows spec 1.0.1 for TaskNotFound: -32001, 404, NOT_FOUND', () => {
    const wire = toA2AWireError(remote(-32001, 'Task not found: x', 'TASK_NOT_FOUND'));
    expect([wire.jsonRpcCode, wire.httpStatus, wire.grpcStatus, wire.reason]).toEqual([
      -32001,
      404,
      status.NOT_FOUND,
      'TASK_NOT_FOUND',
    ]);
  });

  it('keeps the reason the agent sent', () => {
    expect(toA2AWireError(remote(-32004, 'nope', 'CUSTOM_REASON')).reason).toBe('CUSTOM_REASON');
  });

  it('maps gateway errors with an A2A twin to it', () => {
    const invalid = toA2AWireError(new GatewayError(ErrorCode.REMOTE_PROTOCOL_ERROR, 'not A2A'));
    expect([invalid.jsonRpcCode, invalid.reason]).toEqual([-32006, 'INVALID_AGENT_RESPONSE']);
    const version = toA2AWireError(new GatewayError(ErrorCode.VERSION_NOT_SUPPORTED, 'v9'));
    expect([version.jsonRpcCode, version.grpcStatus, version.httpStatus]).toEqual([
      -32009,
      status.FAILED_PRECONDITION,
      400,
    ]);
    const params = toA2AWireError(
      new GatewayError(ErrorCode.INVALID_ARGUMENT, 'bad', { details: { field: 'message.parts' } }),
    );
    expect(params).toMatchObject({
      jsonRpcCode: -32602,
      httpStatus: 400,
      metadata: { field: 'message.parts' },
    });
  });

  it("keeps other gateway errors' own statuses and code, in the gateway's domain", () => {
    const wire = toA2AWireError(
      new GatewayError(ErrorCode.AGENT_NOT_FOUND, "no agent 'x'", { details: { agent: 'x' } }),
    );
    expect(wire).toEqual({
      jsonRpcCode: -32000,
      httpStatus: 404,
      grpcStatus: status.NOT_FOUND,
      reason: 'AGENT_NOT_FOUND',
      domain: GATEWAY_ERROR_DOMAIN,
      message: "no agent 'x'",
      metadata: { agent: 'x' },
    });
  });

  it('never sends the cause of an internal error', () => {
    const wire = toA2AWireError(new Error('secret stack detail'));
    expect(wire).toMatchObject({ jsonRpcCode: -32603, httpStatus: 500, message: 'internal error' });
    expect(wire).not.toHaveProperty('metadata');
  });

  it("keeps an agent's JSON-RPC code the table does not know", () => {
    const wire = toA2AWireError(remote(-32050, 'custom'));
    expect([wire.jsonRpcCode, wire.message]).toEqual([-32050, 'custom']);
  });
});
