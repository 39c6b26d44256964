import { loadConfig } from '../../config/config';
import { configIssuesOf } from '../support/config-issues';

test('no metrics endpoint unless METRICS_BIND_ADDRESS is set', () => {
  expect(loadConfig({}).metrics).toEqual({ bindAddress: undefined });
  expect(loadConfig({ METRICS_BIND_ADDRESS: '' }).metrics).toEqual({ bindAddress: undefined });
});

test.each(['0.0.0.0:9464', '127.0.0.1:1', '[::]:9464', '[::1]:65535'])(
  'METRICS_BIND_ADDRESS %s is an address the SDK can bind',
  (address) => {
    expect(loadConfig({ METRICS_BIND_ADDRESS: address }).metrics.bindAddress).toBe(address);
  },
);

test.each([
  '9464',
  'localhost:9464',
  '0.0.0.0',
  '0.0.0.0:0',
  '0.0.0.0:70000',
  '::1:9464',
  '[nope]:9464',
  'http://0.0.0.0:9464',
])('METRICS_BIND_ADDRESS %s is refused with an example', (address) => {
  expect(configIssuesOf({ METRICS_BIND_ADDRESS: address })).toEqual([
    {
      variable: 'METRICS_BIND_ADDRESS',
      message: 'must be an IP address and port, e.g. 0.0.0.0:9464 or [::]:9464',
    },
  ]);
});
