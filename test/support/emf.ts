/**
 * Checks a log line against CloudWatch's embedded metric format specification
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * `_aws.Timestamp` in epoch milliseconds, `_aws.CloudWatchMetrics` a list of directives with a Namespace,
 * dimension sets (at most 30 names each) and metric definitions (at most 100); every dimension named is a
 * top-level string member, every metric a top-level number (or list of numbers).
 * Returns the problems found, none for a valid line.
 */
const UNITS = new Set([
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
]);

export function emfProblems(line: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const aws = line._aws as Record<string, unknown> | undefined;
  if (typeof aws !== 'object' || aws === null) return ['no _aws object'];
  if (typeof aws.Timestamp !== 'number' || !Number.isInteger(aws.Timestamp) || aws.Timestamp < 1e12)
    problems.push('_aws.Timestamp is not epoch milliseconds');
  const directives = aws.CloudWatchMetrics;
  if (!Array.isArray(directives) || directives.length === 0) return [...problems, 'no CloudWatchMetrics'];
  for (const directive of directives as Record<string, unknown>[]) {
    const namespace = directive.Namespace;
    if (typeof namespace !== 'string' || namespace.length < 1 || namespace.length > 1024)
      problems.push('Namespace is not a 1-1024 character string');
    const sets = directive.Dimensions;
    if (!Array.isArray(sets)) problems.push('Dimensions is not a list');
    for (const set of (sets ?? []) as unknown[]) {
      if (!Array.isArray(set) || set.length > 30) {
        problems.push('a dimension set is not a list of at most 30 names');
        continue;
      }
      for (const name of set as unknown[]) {
        if (typeof name !== 'string' || typeof line[name] !== 'string' || line[name] === '')
          problems.push(`dimension ${String(name)} has no string value`);
      }
    }
    const metrics = directive.Metrics;
    if (!Array.isArray(metrics) || metrics.length === 0 || metrics.length > 100)
      problems.push('Metrics is not a list of 1-100 definitions');
    for (const metric of (metrics ?? []) as Record<string, unknown>[]) {
      const name = metric.Name;
      if (typeof name !== 'string' || name.length < 1 || name.length > 1024) {
        problems.push('a metric has no name');
        continue;
      }
      const value = line[name];
      const numeric = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
      if (!(numeric(value) || (Array.isArray(value) && value.every(numeric))))
        problems.push(`metric ${name} has no numeric value`);
      if (metric.Unit !== undefined && !UNITS.has(String(metric.Unit)))
        problems.push(`metric ${name} has unit ${String(metric.Unit)}`);
    }
  }
  return problems;
}

/** The EMF lines among `lines`, each with its metric names, dimensions (name -> value) and namespace. */
export function emfLines(lines: Record<string, unknown>[]): {
  line: Record<string, unknown>;
  namespace: string;
  metrics: Record<string, unknown>;
  dimensions: Record<string, unknown>;
}[] {
  return lines
    .filter((line) => typeof line._aws === 'object' && line._aws !== null)
    .map((line) => {
      const directive = (
        line._aws as {
          CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
        }
      ).CloudWatchMetrics[0]!;
      const dimensionNames = directive.Dimensions.flat();
      return {
        line,
        namespace: directive.Namespace,
        metrics: Object.fromEntries(directive.Metrics.map((m) => [m.Name, line[m.Name]])),
        dimensions: Object.fromEntries(dimensionNames.map((name) => [name, line[name]])),
      };
    });
}
