// Bench entry: the three handlers the warm-overhead row compares, bundled with the functions' own
// esbuild options so the measured code is the code SAM deploys (no tsx transform in the way).
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
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

const keyedLogger = new Logger({ serviceName: 'baseline-keyed' });
// One single-metric instance, reused (as the toolkit does): a new one per line costs ~150 µs.
const keyedOutcomeLine = new Metrics({ namespace: 'Bench', serviceName: 'baseline-keyed' }).singleMetric();

/**
 * Plain middy with the Powertools Logger and Metrics writing what the toolkit writes: the same correlation
 * keys appended per invocation, the same outcome line and the same `Outcome` EMF line. The difference to
 * the toolkit is the machinery (deadline, fallback, event check, redaction), not the logging.
 */
export const plainMiddySameLogs: Variant = middy(async (event: BenchEvent) => {
  const startedAt = Date.now();
  const result = await work(event);
  keyedLogger.info('Trigger answered', { outcome: 'answered', durationMs: Date.now() - startedAt });
  keyedOutcomeLine.addDimensions({ trigger: 'bench', outcome: 'answered' });
  keyedOutcomeLine.addMetric('Outcome', 'Count', 1);
  return result;
})
  .use(injectLambdaContext(keyedLogger, { resetKeys: true }))
  .use({
    before: (request) => {
      const event = request.event as {
        triggerSource?: string;
        userPoolId?: string;
        callerContext?: { clientId?: string };
      };
      keyedLogger.appendKeys({
        trigger: 'bench',
        trigger_source: event.triggerSource,
        user_pool_id: event.userPoolId,
        client_id: event.callerContext?.clientId,
        user: 'u_0123456789abcdef',
      });
    },
  });

/** The toolkit's composition around the same work. */
export const toolkit: Variant = createTriggerHandler<BenchEvent>(
  {
    name: 'bench',
    failMode: 'closed',
    triggerSources: ['PreSignUp_SignUp'],
    handle: (event) => work(event),
  },
  { deadlineSettings: { cognitoBudgetMs: 4500, marginMs: 300 } },
);
