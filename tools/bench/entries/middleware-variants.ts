// Bench entry: the three handlers the warm-overhead row compares, bundled with the functions' own
// esbuild options so the measured code is the code SAM deploys (no tsx transform in the way).
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { createTriggerHandler } from '../../../shared/trigger-handler.js';

type BenchEvent = Record<string, unknown>;
type Variant = (event: BenchEvent, context: Context) => Promise<BenchEvent>;

const work = async (event: BenchEvent): Promise<BenchEvent> => event;

/** A bare async handler: the floor. */
export const bare: Variant = async (event) => work(event);

const baselineLogger = new Logger({ serviceName: 'baseline' });

/** Plain middy with the Powertools Logger: context injected, one log line per invocation. */
export const plainMiddy: Variant = middy(async (event: BenchEvent) => {
  const result = await work(event);
  baselineLogger.info('Trigger answered');
  return result;
}).use(injectLambdaContext(baselineLogger, { resetKeys: true }));

/** The toolkit's composition around the same work. */
export const toolkit: Variant = createTriggerHandler<BenchEvent>(
  {
    name: 'bench',
    failMode: 'closed',
    triggerSourcePrefixes: ['PreSignUp_'],
    handle: (event) => work(event),
  },
  { cognitoBudgetMs: 4500, marginMs: 300 },
);
