// Loads Powertools' Metrics through its CommonJS build, on demand (the way load-tracer.cjs loads the Tracer):
// importing the toolkit loads nothing and makes no instance; the first trigger handler made asks for it.
'use strict';

module.exports = function loadMetrics() {
  const { Metrics, MetricUnit } = require('@aws-lambda-powertools/metrics');
  return { Metrics, MetricUnit };
};
