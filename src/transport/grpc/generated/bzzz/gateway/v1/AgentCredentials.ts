// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface AgentCredentials {
  bearerToken?: string;
  headers?: { [key: string]: string };
}

export interface AgentCredentials__Output {
  bearerToken: string;
  headers: { [key: string]: string };
}
