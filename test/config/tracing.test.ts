import { loadConfig, loadTracingConfigOrExit } from '../../config/config';
import { configIssuesOf } from '../support/config-issues';

test('tracing is off unless a collector is configured; a service name alone changes nothing', () => {
  expect(loadConfig({}).tracing).toBeUndefined();
  expect(
    loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_SERVICE_NAME: 'fsfo-eu' }).tracing,
  ).toBeUndefined();
});

test('the endpoint is a base URL (plain http allowed: the collector sits beside the worker), the name optional', () => {
  expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/' }).tracing).toEqual({
    endpoint: 'http://jaeger:4318',
    serviceName: undefined,
  });
  expect(
    loadTracingConfigOrExit({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/otlp',
      OTEL_SERVICE_NAME: 'fsfo-worker-eu',
    }),
  ).toEqual({ endpoint: 'https://otel.example.com/otlp', serviceName: 'fsfo-worker-eu' });
});

test('a bad endpoint or service name names its variable', () => {
  expect(
    configIssuesOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger:4318', OTEL_SERVICE_NAME: 'two words' }),
  ).toEqual([
    { variable: 'OTEL_EXPORTER_OTLP_ENDPOINT', message: 'must be an http(s) URL such as http://jaeger:4318' },
    {
      variable: 'OTEL_SERVICE_NAME',
      message: 'must be 1-100 letters, digits or . _ - : / (e.g. fsfo-worker-eu)',
    },
  ]);
  expect(configIssuesOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger' })).toEqual([
    { variable: 'OTEL_EXPORTER_OTLP_ENDPOINT', message: 'must be an http(s) URL such as http://jaeger:4318' },
  ]);
  expect(configIssuesOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/?token=x' })).toEqual([
    {
      variable: 'OTEL_EXPORTER_OTLP_ENDPOINT',
      message: 'must be a base URL without query or fragment: spans go to <endpoint>/v1/traces',
    },
  ]);
});
