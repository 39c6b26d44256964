import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';

/** The worker's Prometheus endpoint (docs/OPERATING.md, "Metrics"). */
export interface MetricsSettings {
  /** `ip:port` the worker serves `/metrics` on; no endpoint when unset. */
  bindAddress?: string;
}

/** The SDK binds a socket address: an IP literal (IPv6 in brackets) and a port, no host name. */
export const metricsBindAddress = z.string().refine((value) => {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  if (!match) return false;
  const [, ipv6, ipv4, port] = match;
  const ipValid = ipv6 !== undefined ? isIPv6(ipv6) : isIPv4(ipv4!);
  return ipValid && Number(port) >= 1 && Number(port) <= 65535;
}, 'must be an IP address and port, e.g. 0.0.0.0:9464 or [::]:9464');
