import { describeApiBehaviour } from './api-behaviour.js';
import { createGrpcGatewayClient } from '../support/grpc-gateway-client.js';

describeApiBehaviour('grpc', (gateway) => createGrpcGatewayClient(gateway.grpcAddress));
