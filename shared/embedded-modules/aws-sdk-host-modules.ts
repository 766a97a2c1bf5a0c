// The AWS SDK modules an embedded client (Cognito, SNS) takes from the function's own bundle, by the
// specifier its code requires: the same instances the bundle's DynamoDB or SES client runs on, so no
// second SDK stack is parsed or evaluated. `test/tools/generate-hosted-modules.test.ts` checks that
// every module the generated clients require is here.
import * as awsCoreClient from '@aws-sdk/core/client';
import * as awsCoreHttpAuthSchemes from '@aws-sdk/core/httpAuthSchemes';
import * as awsCoreProtocols from '@aws-sdk/core/protocols';
import * as credentialProviderNode from '@aws-sdk/credential-provider-node';
import * as smithyCore from '@smithy/core';
import * as smithyCoreChecksum from '@smithy/core/checksum';
import * as smithyCoreClient from '@smithy/core/client';
import * as smithyCoreConfig from '@smithy/core/config';
import * as smithyCoreEndpoints from '@smithy/core/endpoints';
import * as smithyCoreProtocols from '@smithy/core/protocols';
import * as smithyCoreRetry from '@smithy/core/retry';
import * as smithyCoreSchema from '@smithy/core/schema';
import * as smithyCoreSerde from '@smithy/core/serde';
import * as nodeHttpHandler from '@smithy/node-http-handler';

export const AWS_SDK_HOST_MODULES: Readonly<Record<string, unknown>> = {
  '@aws-sdk/core/client': awsCoreClient,
  '@aws-sdk/core/httpAuthSchemes': awsCoreHttpAuthSchemes,
  '@aws-sdk/core/protocols': awsCoreProtocols,
  '@aws-sdk/credential-provider-node': credentialProviderNode,
  '@smithy/core': smithyCore,
  '@smithy/core/checksum': smithyCoreChecksum,
  '@smithy/core/client': smithyCoreClient,
  '@smithy/core/config': smithyCoreConfig,
  '@smithy/core/endpoints': smithyCoreEndpoints,
  '@smithy/core/protocols': smithyCoreProtocols,
  '@smithy/core/retry': smithyCoreRetry,
  '@smithy/core/schema': smithyCoreSchema,
  '@smithy/core/serde': smithyCoreSerde,
  '@smithy/node-http-handler': nodeHttpHandler,
};
