import { describeApiBehaviour } from './api-behaviour.js';
import { createHttpGatewayClient } from '../support/http-gateway-client.js';

describeApiBehaviour('http', (gateway) => createHttpGatewayClient(gateway.httpUrl));
