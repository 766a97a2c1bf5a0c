import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { createTriggerHandler } from '../../shared/trigger-handler.js';
import type { BenchRow } from './types.js';
import { benchContext, measureInterleaved, silenceStdout } from './measure.js';

const event = {
  version: '1',
  triggerSource: 'PreSignUp_SignUp',
  region: 'us-east-1',
  userPoolId: 'us-east-1_Bench0001',
  userName: 'bench-user@example.com',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'bench-client' },
  request: { userAttributes: { email: 'bench-user@example.com' }, validationData: null },
  response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
};
type BenchEvent = typeof event;

/**
 * Warm per-invocation cost of the shared middleware, against a bare handler and against plain middy
 * with the Powertools Logger (context injected, one log line per invocation, as a hand-written
 * trigger would have), all doing the same trivial work, interleaved in one process.
 */
export async function benchMiddlewareOverhead(): Promise<BenchRow[]> {
  const work = async (e: BenchEvent): Promise<BenchEvent> => e;
  const bare = async (e: BenchEvent, _c: Context) => work(e);
  const baselineLogger = new Logger({ serviceName: 'baseline' });
  const plainMiddy = middy(async (e: BenchEvent) => {
    const result = await work(e);
    baselineLogger.info('Trigger answered');
    return result;
  }).use(injectLambdaContext(baselineLogger, { resetKeys: true }));
  const toolkit = createTriggerHandler<BenchEvent>(
    { name: 'bench', failMode: 'closed', triggerSourcePrefixes: ['PreSignUp_'], handle: (e) => work(e) },
    { cognitoBudgetMs: 4500, marginMs: 300 },
  );
  const context = benchContext();
  const restore = silenceStdout();
  try {
    const results = await measureInterleaved(
      {
        bare: () => bare(event, context),
        'middy + Logger': () => plainMiddy(event, context),
        toolkit: () => toolkit(event, context),
      },
      { rounds: 15, opsPerRound: 2_000 },
    );
    const bareUs = results.bare! * 1000;
    const middyUs = results['middy + Logger']! * 1000;
    const toolkitUs = results.toolkit! * 1000;
    return [
      {
        group: 'warm overhead',
        name: 'shared middleware vs bare handler',
        measured: toolkitUs,
        baseline: bareUs,
        unit: 'µs/invocation',
        ratio: toolkitUs / bareUs,
        goal: 'informational',
        met: true,
        note: 'a bare async function is the floor; the ratio shows what the composition costs in absolute terms',
      },
      {
        group: 'warm overhead',
        name: 'shared middleware vs middy + Powertools Logger',
        measured: toolkitUs,
        baseline: middyUs,
        unit: 'µs/invocation',
        ratio: toolkitUs / middyUs,
        goal: '≤ 1.5×',
        met: toolkitUs / middyUs <= 1.5,
      },
    ];
  } finally {
    restore();
  }
}
