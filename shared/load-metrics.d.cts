import type { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics' with {
  'resolution-mode': 'import',
};

declare function loadMetrics(): { Metrics: typeof Metrics; MetricUnit: typeof MetricUnit };
export = loadMetrics;
