import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * The part of Docker Compose's model our compose files use, computed without a Docker engine: variable
 * interpolation, YAML anchors and merge keys, `include`, `extends` from another file, relative paths made
 * absolute against the file that names them. Anything else it meets is refused rather than guessed.
 */
export interface ComposeService {
  image?: string;
  /** Absolute path of the build context. */
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  /** `source:target[:mode]`; a bind mount's source is an absolute path, a named volume's its name. */
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  network_mode?: string;
  links?: string[];
  healthcheck?: unknown;
  restart?: string;
  profiles?: string[];
}

export interface ComposeModel {
  name?: string;
  services: Record<string, ComposeService>;
  /** The named volumes declared at the top level. */
  volumes: string[];
}

export type Environment = Record<string, string | undefined>;

const VARIABLE = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Compose's interpolation: `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`. */
export function interpolate(text: string, env: Environment): string {
  return text.replace(
    VARIABLE,
    (
      _match,
      dollar?: string,
      name?: string,
      colon?: string,
      operator?: string,
      operand?: string,
      bare?: string,
    ) => {
      if (dollar) return '$';
      const variable = (name ?? bare)!;
      const value = env[variable];
      const missing = value === undefined || (colon === ':' && value === '');
      if (operator === '-') return missing ? operand! : value!;
      if (operator === '?' && missing) {
        throw new Error(`required variable ${variable} is missing a value: ${operand}`);
      }
      return value ?? '';
    },
  );
}

function interpolateAll(value: unknown, env: Environment): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, env));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateAll(item, env)]));
  }
  return value;
}

const KNOWN_KEYS = new Set([
  'image',
  'build',
  'command',
  'environment',
  'ports',
  'volumes',
  'depends_on',
  'network_mode',
  'links',
  'healthcheck',
  'restart',
  'profiles',
  'extends',
]);

const isPath = (source: string) => source.startsWith('.') || source.startsWith('/');

function normalizeService(name: string, raw: Record<string, unknown>, dir: string): ComposeService {
  const unknown = Object.keys(raw).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) throw new Error(`service ${name}: the model does not know ${unknown.join(', ')}`);
  if (
    raw.environment !== undefined &&
    (Array.isArray(raw.environment) || typeof raw.environment !== 'object')
  ) {
    throw new Error(`service ${name}: environment must be a map`);
  }
  if (raw.depends_on !== undefined && Array.isArray(raw.depends_on)) {
    throw new Error(`service ${name}: depends_on must be a map with conditions`);
  }
  if (raw.build !== undefined && typeof raw.build !== 'string') {
    throw new Error(`service ${name}: build must be a context path`);
  }
  const { extends: _extends, ...service } = raw as ComposeService & { extends?: unknown };
  return {
    ...service,
    ...(service.build === undefined ? {} : { build: resolve(dir, service.build) }),
    ...(service.environment === undefined
      ? {}
      : {
          environment: Object.fromEntries(
            Object.entries(service.environment).map(([key, value]) => [key, String(value ?? '')]),
          ),
        }),
    ...(service.volumes === undefined
      ? {}
      : {
          volumes: service.volumes.map((volume) => {
            const [source, ...rest] = volume.split(':');
            return isPath(source!) ? [resolve(dir, source!), ...rest].join(':') : volume;
          }),
        }),
  };
}

/** `extends`: the base service, then the extending one's keys; environment maps merge key by key. */
function extend(base: ComposeService, service: ComposeService): ComposeService {
  return {
    ...base,
    ...service,
    ...(base.environment || service.environment
      ? { environment: { ...base.environment, ...service.environment } }
      : {}),
  };
}

interface RawFile {
  name?: string;
  include?: (string | { path: string })[];
  services?: Record<string, Record<string, unknown>>;
  volumes?: Record<string, unknown>;
}

function readRaw(file: string, env: Environment): RawFile {
  const raw = parse(readFileSync(file, 'utf8'), { merge: true }) as Record<string, unknown>;
  const known = new Set(['name', 'include', 'services', 'volumes']);
  const unknown = Object.keys(raw).filter((key) => !known.has(key) && !key.startsWith('x-'));
  if (unknown.length > 0) throw new Error(`${file}: the model does not know ${unknown.join(', ')}`);
  return interpolateAll(raw, env) as RawFile;
}

/** Loads a compose file as `docker compose -f <file>` would see it, with `env` for its variables. */
export function loadCompose(file: string, env: Environment): ComposeModel {
  const path = resolve(file);
  const dir = dirname(path);
  const raw = readRaw(path, env);
  const services: Record<string, ComposeService> = {};
  const volumes = new Set(Object.keys(raw.volumes ?? {}));

  for (const entry of raw.include ?? []) {
    const included = loadCompose(resolve(dir, typeof entry === 'string' ? entry : entry.path), env);
    for (const [name, service] of Object.entries(included.services)) {
      if (services[name]) throw new Error(`${file}: service ${name} is included twice`);
      services[name] = service;
    }
    for (const volume of included.volumes) volumes.add(volume);
  }

  for (const [name, definition] of Object.entries(raw.services ?? {})) {
    if (services[name]) throw new Error(`${file}: service ${name} conflicts with an included one`);
    let service = normalizeService(name, definition, dir);
    const base = definition.extends as { file?: string; service: string } | undefined;
    if (base) {
      if (!base.file) throw new Error(`service ${name}: the model supports extends from another file only`);
      const source = isAbsolute(base.file) ? base.file : resolve(dir, base.file);
      const baseService = loadCompose(source, env).services[base.service];
      if (!baseService) throw new Error(`service ${name} extends ${base.service}, which ${base.file} lacks`);
      service = extend(baseService, service);
    }
    services[name] = service;
  }
  return { name: raw.name, services, volumes: [...volumes] };
}

/** The variables a compose file itself (not what it includes or extends) refuses to run without: `${VAR:?…}`. */
export function requiredVariables(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)].map((match) => match[1]!))];
}

/** The services a service names: `depends_on`, `network_mode: service:<name>`, `links`. */
export function referencedServices(service: ComposeService): string[] {
  const network = service.network_mode?.startsWith('service:') ? [service.network_mode.slice(8)] : [];
  const links = (service.links ?? []).map((link) => link.split(':')[0]!);
  return [...Object.keys(service.depends_on ?? {}), ...network, ...links];
}

/** The host ports a service publishes (`[ip:]host:container`). */
export function publishedPorts(service: ComposeService): number[] {
  return (service.ports ?? []).map((port) => {
    const parts = port.split(':');
    if (parts.length < 2) throw new Error(`port ${port} publishes no fixed host port`);
    return Number(parts[parts.length - 2]);
  });
}
