/** The reply schemas: both dialects' states and roles, the oneof rules, and readable failure messages. */
import { describe, expect, it } from 'vitest';

import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import {
  parseAgentReply,
  sendMessageResponseSchema,
  streamResponseSchema,
  taskSchema,
} from '../../src/remote/a2a-schema.js';

function failure(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (GatewayError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a validation failure');
}

describe('a2a-schema', () => {
  it('normalises 0.3 states and roles to the 1.0 names and keeps unknown fields', () => {
    const task = parseAgentReply(taskSchema, {
      id: 't',
      status: {
        state: 'input-required',
        message: { messageId: 'm', role: 'agent', parts: [{ text: 'q?' }] },
      },
      extra: { kept: true },
    });
    expect(task.status.state).toBe('TASK_STATE_INPUT_REQUIRED');
    expect(task.status.message?.role).toBe('ROLE_AGENT');
    expect((task as unknown as Record<string, unknown>)['extra']).toEqual({ kept: true });
  });

  it('accepts each part kind with its metadata', () => {
    const result = parseAgentReply(sendMessageResponseSchema, {
      message: {
        messageId: 'm',
        role: 'ROLE_AGENT',
        parts: [
          { text: 'hi', mediaType: 'text/plain' },
          { raw: 'aGk=', filename: 'hi.txt' },
          { url: 'https://x.example/f' },
          { data: { a: 1 }, metadata: { k: 'v' } },
        ],
      },
    });
    expect('message' in result && result.message.parts).toHaveLength(4);
  });

  it('reports the path and issue of an invalid reply as REMOTE_PROTOCOL_ERROR', () => {
    const badState = failure(() =>
      parseAgentReply(sendMessageResponseSchema, { task: { id: 't', status: { state: 'DONE' } } }, [
        'result',
      ]),
    );
    expect(badState.code).toBe(ErrorCode.REMOTE_PROTOCOL_ERROR);
    expect(badState.message).toMatch(/^agent reply invalid: result\.task\.status\.state: /);

    const twoParts = failure(() =>
      parseAgentReply(taskSchema, {
        id: 't',
        status: { state: 'TASK_STATE_COMPLETED' },
        artifacts: [{ artifactId: 'a', parts: [{ text: 'x', url: 'https://x' }] }],
      }),
    );
    expect(twoParts.message).toContain(
      'artifacts[0].parts[0]: a part has exactly one of text, raw, url or data',
    );

    const both = failure(() =>
      parseAgentReply(streamResponseSchema, {
        task: { id: 't', status: { state: 'completed' } },
        message: { messageId: 'm', role: 'user', parts: [] },
      }),
    );
    expect(both.message).toContain(
      'exactly one of task, message, statusUpdate, artifactUpdate (found task, message)',
    );
  });
});
