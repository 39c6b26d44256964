/**
 * Where connectors report what they do. Temporal's activity `log` fits, as does a console
 * adapter. Connectors never pass headers, tokens or secrets to it.
 */
export interface ConnectorLogger {
  debug(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
}

export const silentLogger: ConnectorLogger = {
  debug() {},
  warn() {},
};
