import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  A2AAgentTarget as _bzzz_gateway_v1_A2AAgentTarget,
  A2AAgentTarget__Output as _bzzz_gateway_v1_A2AAgentTarget__Output,
} from './bzzz/gateway/v1/A2AAgentTarget.js';
import type {
  Agent as _bzzz_gateway_v1_Agent,
  Agent__Output as _bzzz_gateway_v1_Agent__Output,
} from './bzzz/gateway/v1/Agent.js';
import type {
  AgentCredentials as _bzzz_gateway_v1_AgentCredentials,
  AgentCredentials__Output as _bzzz_gateway_v1_AgentCredentials__Output,
} from './bzzz/gateway/v1/AgentCredentials.js';
import type {
  AgentEndpoint as _bzzz_gateway_v1_AgentEndpoint,
  AgentEndpoint__Output as _bzzz_gateway_v1_AgentEndpoint__Output,
} from './bzzz/gateway/v1/AgentEndpoint.js';
import type {
  AgentRegistryServiceClient as _bzzz_gateway_v1_AgentRegistryServiceClient,
  AgentRegistryServiceDefinition as _bzzz_gateway_v1_AgentRegistryServiceDefinition,
} from './bzzz/gateway/v1/AgentRegistryService.js';
import type {
  AgentTarget as _bzzz_gateway_v1_AgentTarget,
  AgentTarget__Output as _bzzz_gateway_v1_AgentTarget__Output,
} from './bzzz/gateway/v1/AgentTarget.js';
import type {
  Artifact as _bzzz_gateway_v1_Artifact,
  Artifact__Output as _bzzz_gateway_v1_Artifact__Output,
} from './bzzz/gateway/v1/Artifact.js';
import type {
  ArtifactChunk as _bzzz_gateway_v1_ArtifactChunk,
  ArtifactChunk__Output as _bzzz_gateway_v1_ArtifactChunk__Output,
} from './bzzz/gateway/v1/ArtifactChunk.js';
import type {
  ArtifactServiceClient as _bzzz_gateway_v1_ArtifactServiceClient,
  ArtifactServiceDefinition as _bzzz_gateway_v1_ArtifactServiceDefinition,
} from './bzzz/gateway/v1/ArtifactService.js';
import type {
  CancelRunRequest as _bzzz_gateway_v1_CancelRunRequest,
  CancelRunRequest__Output as _bzzz_gateway_v1_CancelRunRequest__Output,
} from './bzzz/gateway/v1/CancelRunRequest.js';
import type {
  Checksum as _bzzz_gateway_v1_Checksum,
  Checksum__Output as _bzzz_gateway_v1_Checksum__Output,
} from './bzzz/gateway/v1/Checksum.js';
import type {
  CreateSessionRequest as _bzzz_gateway_v1_CreateSessionRequest,
  CreateSessionRequest__Output as _bzzz_gateway_v1_CreateSessionRequest__Output,
} from './bzzz/gateway/v1/CreateSessionRequest.js';
import type {
  DeregisterAgentRequest as _bzzz_gateway_v1_DeregisterAgentRequest,
  DeregisterAgentRequest__Output as _bzzz_gateway_v1_DeregisterAgentRequest__Output,
} from './bzzz/gateway/v1/DeregisterAgentRequest.js';
import type {
  DeregisterAgentResponse as _bzzz_gateway_v1_DeregisterAgentResponse,
  DeregisterAgentResponse__Output as _bzzz_gateway_v1_DeregisterAgentResponse__Output,
} from './bzzz/gateway/v1/DeregisterAgentResponse.js';
import type {
  EndSessionRequest as _bzzz_gateway_v1_EndSessionRequest,
  EndSessionRequest__Output as _bzzz_gateway_v1_EndSessionRequest__Output,
} from './bzzz/gateway/v1/EndSessionRequest.js';
import type {
  GetAgentRequest as _bzzz_gateway_v1_GetAgentRequest,
  GetAgentRequest__Output as _bzzz_gateway_v1_GetAgentRequest__Output,
} from './bzzz/gateway/v1/GetAgentRequest.js';
import type {
  GetArtifactRequest as _bzzz_gateway_v1_GetArtifactRequest,
  GetArtifactRequest__Output as _bzzz_gateway_v1_GetArtifactRequest__Output,
} from './bzzz/gateway/v1/GetArtifactRequest.js';
import type {
  GetRunRequest as _bzzz_gateway_v1_GetRunRequest,
  GetRunRequest__Output as _bzzz_gateway_v1_GetRunRequest__Output,
} from './bzzz/gateway/v1/GetRunRequest.js';
import type {
  GetSessionRequest as _bzzz_gateway_v1_GetSessionRequest,
  GetSessionRequest__Output as _bzzz_gateway_v1_GetSessionRequest__Output,
} from './bzzz/gateway/v1/GetSessionRequest.js';
import type {
  HeartbeatRequest as _bzzz_gateway_v1_HeartbeatRequest,
  HeartbeatRequest__Output as _bzzz_gateway_v1_HeartbeatRequest__Output,
} from './bzzz/gateway/v1/HeartbeatRequest.js';
import type {
  ListAgentsRequest as _bzzz_gateway_v1_ListAgentsRequest,
  ListAgentsRequest__Output as _bzzz_gateway_v1_ListAgentsRequest__Output,
} from './bzzz/gateway/v1/ListAgentsRequest.js';
import type {
  ListAgentsResponse as _bzzz_gateway_v1_ListAgentsResponse,
  ListAgentsResponse__Output as _bzzz_gateway_v1_ListAgentsResponse__Output,
} from './bzzz/gateway/v1/ListAgentsResponse.js';
import type {
  ListRunsRequest as _bzzz_gateway_v1_ListRunsRequest,
  ListRunsRequest__Output as _bzzz_gateway_v1_ListRunsRequest__Output,
} from './bzzz/gateway/v1/ListRunsRequest.js';
import type {
  ListRunsResponse as _bzzz_gateway_v1_ListRunsResponse,
  ListRunsResponse__Output as _bzzz_gateway_v1_ListRunsResponse__Output,
} from './bzzz/gateway/v1/ListRunsResponse.js';
import type {
  ListSessionsRequest as _bzzz_gateway_v1_ListSessionsRequest,
  ListSessionsRequest__Output as _bzzz_gateway_v1_ListSessionsRequest__Output,
} from './bzzz/gateway/v1/ListSessionsRequest.js';
import type {
  ListSessionsResponse as _bzzz_gateway_v1_ListSessionsResponse,
  ListSessionsResponse__Output as _bzzz_gateway_v1_ListSessionsResponse__Output,
} from './bzzz/gateway/v1/ListSessionsResponse.js';
import type {
  Part as _bzzz_gateway_v1_Part,
  Part__Output as _bzzz_gateway_v1_Part__Output,
} from './bzzz/gateway/v1/Part.js';
import type {
  ReadArtifactRequest as _bzzz_gateway_v1_ReadArtifactRequest,
  ReadArtifactRequest__Output as _bzzz_gateway_v1_ReadArtifactRequest__Output,
} from './bzzz/gateway/v1/ReadArtifactRequest.js';
import type {
  RegisterAgentRequest as _bzzz_gateway_v1_RegisterAgentRequest,
  RegisterAgentRequest__Output as _bzzz_gateway_v1_RegisterAgentRequest__Output,
} from './bzzz/gateway/v1/RegisterAgentRequest.js';
import type {
  RemoteTaskRef as _bzzz_gateway_v1_RemoteTaskRef,
  RemoteTaskRef__Output as _bzzz_gateway_v1_RemoteTaskRef__Output,
} from './bzzz/gateway/v1/RemoteTaskRef.js';
import type {
  Run as _bzzz_gateway_v1_Run,
  Run__Output as _bzzz_gateway_v1_Run__Output,
} from './bzzz/gateway/v1/Run.js';
import type {
  RunDetails as _bzzz_gateway_v1_RunDetails,
  RunDetails__Output as _bzzz_gateway_v1_RunDetails__Output,
} from './bzzz/gateway/v1/RunDetails.js';
import type {
  RunError as _bzzz_gateway_v1_RunError,
  RunError__Output as _bzzz_gateway_v1_RunError__Output,
} from './bzzz/gateway/v1/RunError.js';
import type {
  RunEvent as _bzzz_gateway_v1_RunEvent,
  RunEvent__Output as _bzzz_gateway_v1_RunEvent__Output,
} from './bzzz/gateway/v1/RunEvent.js';
import type {
  RunInput as _bzzz_gateway_v1_RunInput,
  RunInput__Output as _bzzz_gateway_v1_RunInput__Output,
} from './bzzz/gateway/v1/RunInput.js';
import type {
  RunServiceClient as _bzzz_gateway_v1_RunServiceClient,
  RunServiceDefinition as _bzzz_gateway_v1_RunServiceDefinition,
} from './bzzz/gateway/v1/RunService.js';
import type {
  RunTarget as _bzzz_gateway_v1_RunTarget,
  RunTarget__Output as _bzzz_gateway_v1_RunTarget__Output,
} from './bzzz/gateway/v1/RunTarget.js';
import type {
  SendInputRequest as _bzzz_gateway_v1_SendInputRequest,
  SendInputRequest__Output as _bzzz_gateway_v1_SendInputRequest__Output,
} from './bzzz/gateway/v1/SendInputRequest.js';
import type {
  Session as _bzzz_gateway_v1_Session,
  Session__Output as _bzzz_gateway_v1_Session__Output,
} from './bzzz/gateway/v1/Session.js';
import type {
  SessionDetails as _bzzz_gateway_v1_SessionDetails,
  SessionDetails__Output as _bzzz_gateway_v1_SessionDetails__Output,
} from './bzzz/gateway/v1/SessionDetails.js';
import type {
  SessionServiceClient as _bzzz_gateway_v1_SessionServiceClient,
  SessionServiceDefinition as _bzzz_gateway_v1_SessionServiceDefinition,
} from './bzzz/gateway/v1/SessionService.js';
import type {
  Step as _bzzz_gateway_v1_Step,
  Step__Output as _bzzz_gateway_v1_Step__Output,
} from './bzzz/gateway/v1/Step.js';
import type {
  StepError as _bzzz_gateway_v1_StepError,
  StepError__Output as _bzzz_gateway_v1_StepError__Output,
} from './bzzz/gateway/v1/StepError.js';
import type {
  StepRemote as _bzzz_gateway_v1_StepRemote,
  StepRemote__Output as _bzzz_gateway_v1_StepRemote__Output,
} from './bzzz/gateway/v1/StepRemote.js';
import type {
  SubmitRunRequest as _bzzz_gateway_v1_SubmitRunRequest,
  SubmitRunRequest__Output as _bzzz_gateway_v1_SubmitRunRequest__Output,
} from './bzzz/gateway/v1/SubmitRunRequest.js';
import type {
  SwarmTarget as _bzzz_gateway_v1_SwarmTarget,
  SwarmTarget__Output as _bzzz_gateway_v1_SwarmTarget__Output,
} from './bzzz/gateway/v1/SwarmTarget.js';
import type {
  WatchRunRequest as _bzzz_gateway_v1_WatchRunRequest,
  WatchRunRequest__Output as _bzzz_gateway_v1_WatchRunRequest__Output,
} from './bzzz/gateway/v1/WatchRunRequest.js';
import type {
  ListValue as _google_protobuf_ListValue,
  ListValue__Output as _google_protobuf_ListValue__Output,
} from './google/protobuf/ListValue.js';
import type {
  Struct as _google_protobuf_Struct,
  Struct__Output as _google_protobuf_Struct__Output,
} from './google/protobuf/Struct.js';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from './google/protobuf/Timestamp.js';
import type {
  Value as _google_protobuf_Value,
  Value__Output as _google_protobuf_Value__Output,
} from './google/protobuf/Value.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  bzzz: {
    gateway: {
      v1: {
        A2AAgentTarget: MessageTypeDefinition<
          _bzzz_gateway_v1_A2AAgentTarget,
          _bzzz_gateway_v1_A2AAgentTarget__Output
        >;
        Agent: MessageTypeDefinition<_bzzz_gateway_v1_Agent, _bzzz_gateway_v1_Agent__Output>;
        AgentCredentials: MessageTypeDefinition<
          _bzzz_gateway_v1_AgentCredentials,
          _bzzz_gateway_v1_AgentCredentials__Output
        >;
        AgentEndpoint: MessageTypeDefinition<
          _bzzz_gateway_v1_AgentEndpoint,
          _bzzz_gateway_v1_AgentEndpoint__Output
        >;
        AgentHealth: EnumTypeDefinition;
        AgentRegistryService: SubtypeConstructor<
          typeof grpc.Client,
          _bzzz_gateway_v1_AgentRegistryServiceClient
        > & { service: _bzzz_gateway_v1_AgentRegistryServiceDefinition };
        AgentTarget: MessageTypeDefinition<
          _bzzz_gateway_v1_AgentTarget,
          _bzzz_gateway_v1_AgentTarget__Output
        >;
        Artifact: MessageTypeDefinition<_bzzz_gateway_v1_Artifact, _bzzz_gateway_v1_Artifact__Output>;
        ArtifactChunk: MessageTypeDefinition<
          _bzzz_gateway_v1_ArtifactChunk,
          _bzzz_gateway_v1_ArtifactChunk__Output
        >;
        ArtifactService: SubtypeConstructor<typeof grpc.Client, _bzzz_gateway_v1_ArtifactServiceClient> & {
          service: _bzzz_gateway_v1_ArtifactServiceDefinition;
        };
        ArtifactStorage: EnumTypeDefinition;
        CancelRunRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_CancelRunRequest,
          _bzzz_gateway_v1_CancelRunRequest__Output
        >;
        Checksum: MessageTypeDefinition<_bzzz_gateway_v1_Checksum, _bzzz_gateway_v1_Checksum__Output>;
        CreateSessionRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_CreateSessionRequest,
          _bzzz_gateway_v1_CreateSessionRequest__Output
        >;
        DeregisterAgentRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_DeregisterAgentRequest,
          _bzzz_gateway_v1_DeregisterAgentRequest__Output
        >;
        DeregisterAgentResponse: MessageTypeDefinition<
          _bzzz_gateway_v1_DeregisterAgentResponse,
          _bzzz_gateway_v1_DeregisterAgentResponse__Output
        >;
        EndSessionRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_EndSessionRequest,
          _bzzz_gateway_v1_EndSessionRequest__Output
        >;
        GetAgentRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_GetAgentRequest,
          _bzzz_gateway_v1_GetAgentRequest__Output
        >;
        GetArtifactRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_GetArtifactRequest,
          _bzzz_gateway_v1_GetArtifactRequest__Output
        >;
        GetRunRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_GetRunRequest,
          _bzzz_gateway_v1_GetRunRequest__Output
        >;
        GetSessionRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_GetSessionRequest,
          _bzzz_gateway_v1_GetSessionRequest__Output
        >;
        HeartbeatRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_HeartbeatRequest,
          _bzzz_gateway_v1_HeartbeatRequest__Output
        >;
        ListAgentsRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_ListAgentsRequest,
          _bzzz_gateway_v1_ListAgentsRequest__Output
        >;
        ListAgentsResponse: MessageTypeDefinition<
          _bzzz_gateway_v1_ListAgentsResponse,
          _bzzz_gateway_v1_ListAgentsResponse__Output
        >;
        ListRunsRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_ListRunsRequest,
          _bzzz_gateway_v1_ListRunsRequest__Output
        >;
        ListRunsResponse: MessageTypeDefinition<
          _bzzz_gateway_v1_ListRunsResponse,
          _bzzz_gateway_v1_ListRunsResponse__Output
        >;
        ListSessionsRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_ListSessionsRequest,
          _bzzz_gateway_v1_ListSessionsRequest__Output
        >;
        ListSessionsResponse: MessageTypeDefinition<
          _bzzz_gateway_v1_ListSessionsResponse,
          _bzzz_gateway_v1_ListSessionsResponse__Output
        >;
        Part: MessageTypeDefinition<_bzzz_gateway_v1_Part, _bzzz_gateway_v1_Part__Output>;
        ReadArtifactRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_ReadArtifactRequest,
          _bzzz_gateway_v1_ReadArtifactRequest__Output
        >;
        RegisterAgentRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_RegisterAgentRequest,
          _bzzz_gateway_v1_RegisterAgentRequest__Output
        >;
        RemoteTaskRef: MessageTypeDefinition<
          _bzzz_gateway_v1_RemoteTaskRef,
          _bzzz_gateway_v1_RemoteTaskRef__Output
        >;
        Run: MessageTypeDefinition<_bzzz_gateway_v1_Run, _bzzz_gateway_v1_Run__Output>;
        RunDetails: MessageTypeDefinition<_bzzz_gateway_v1_RunDetails, _bzzz_gateway_v1_RunDetails__Output>;
        RunError: MessageTypeDefinition<_bzzz_gateway_v1_RunError, _bzzz_gateway_v1_RunError__Output>;
        RunEvent: MessageTypeDefinition<_bzzz_gateway_v1_RunEvent, _bzzz_gateway_v1_RunEvent__Output>;
        RunInput: MessageTypeDefinition<_bzzz_gateway_v1_RunInput, _bzzz_gateway_v1_RunInput__Output>;
        RunService: SubtypeConstructor<typeof grpc.Client, _bzzz_gateway_v1_RunServiceClient> & {
          service: _bzzz_gateway_v1_RunServiceDefinition;
        };
        RunStatus: EnumTypeDefinition;
        RunTarget: MessageTypeDefinition<_bzzz_gateway_v1_RunTarget, _bzzz_gateway_v1_RunTarget__Output>;
        RuntimeKind: EnumTypeDefinition;
        SendInputRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_SendInputRequest,
          _bzzz_gateway_v1_SendInputRequest__Output
        >;
        Session: MessageTypeDefinition<_bzzz_gateway_v1_Session, _bzzz_gateway_v1_Session__Output>;
        SessionDetails: MessageTypeDefinition<
          _bzzz_gateway_v1_SessionDetails,
          _bzzz_gateway_v1_SessionDetails__Output
        >;
        SessionService: SubtypeConstructor<typeof grpc.Client, _bzzz_gateway_v1_SessionServiceClient> & {
          service: _bzzz_gateway_v1_SessionServiceDefinition;
        };
        SessionStatus: EnumTypeDefinition;
        Step: MessageTypeDefinition<_bzzz_gateway_v1_Step, _bzzz_gateway_v1_Step__Output>;
        StepError: MessageTypeDefinition<_bzzz_gateway_v1_StepError, _bzzz_gateway_v1_StepError__Output>;
        StepRemote: MessageTypeDefinition<_bzzz_gateway_v1_StepRemote, _bzzz_gateway_v1_StepRemote__Output>;
        StepStatus: EnumTypeDefinition;
        SubmitRunRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_SubmitRunRequest,
          _bzzz_gateway_v1_SubmitRunRequest__Output
        >;
        SwarmTarget: MessageTypeDefinition<
          _bzzz_gateway_v1_SwarmTarget,
          _bzzz_gateway_v1_SwarmTarget__Output
        >;
        WatchRunRequest: MessageTypeDefinition<
          _bzzz_gateway_v1_WatchRunRequest,
          _bzzz_gateway_v1_WatchRunRequest__Output
        >;
      };
    };
  };
  google: {
    protobuf: {
      ListValue: MessageTypeDefinition<_google_protobuf_ListValue, _google_protobuf_ListValue__Output>;
      NullValue: EnumTypeDefinition;
      Struct: MessageTypeDefinition<_google_protobuf_Struct, _google_protobuf_Struct__Output>;
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>;
      Value: MessageTypeDefinition<_google_protobuf_Value, _google_protobuf_Value__Output>;
    };
  };
}
