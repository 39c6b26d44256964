import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export interface AccessTokenClaims {
  aud: string;
  iss: string;
  tid: string;
  appid: string;
  oid: string;
  iat: number;
  nbf: number;
  exp: number;
  /** Issue time in milliseconds: the token lives its whole lifetime from it, and a forced expiry cuts precisely. */
  xms_iat_ms: number;
}

export type TokenCheck =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; reason: 'missing' | 'invalid' | 'expired' | 'audience' };

/** Issues and checks HMAC-signed JWT access tokens; the key lives in the sandbox state so tokens survive a restart. */
export class TokenAuthority {
  private readonly revokedBefore = new Map<string, number>();

  constructor(private readonly signingKey: Buffer) {}

  issue(
    options: { audience: string; tenantId: string; clientId: string; lifetimeSeconds: number },
    now = Date.now(),
  ): string {
    const seconds = Math.floor(now / 1000);
    const claims: AccessTokenClaims = {
      aud: options.audience,
      iss: `https://sts.windows.net/${options.tenantId}/`,
      tid: options.tenantId,
      appid: options.clientId,
      oid: options.clientId,
      iat: seconds,
      nbf: seconds,
      exp: seconds + options.lifetimeSeconds,
      xms_iat_ms: now,
    };
    const header = encode({ typ: 'JWT', alg: 'HS256', kid: 'sandbox' });
    const payload = encode({ ...claims, uti: randomUUID() });
    return `${header}.${payload}.${this.sign(`${header}.${payload}`)}`;
  }

  check(authorization: string | undefined, audience: string, now = Date.now()): TokenCheck {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return { ok: false, reason: 'missing' };
    const [header, payload, signature] = match[1].split('.');
    if (!header || !payload || !signature) return { ok: false, reason: 'invalid' };
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, reason: 'invalid' };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessTokenClaims;
    if (claims.aud !== audience) return { ok: false, reason: 'audience' };
    const revoked = this.revokedBefore.get(audience) ?? 0;
    // `exp` counts from the issue time rounded down to the second, as Entra's does; the token lives its
    // full lifetime from the moment it was issued (services accept a token a little past `exp` anyway).
    const expiresAt = claims.xms_iat_ms + (claims.exp - claims.iat) * 1000;
    if (expiresAt <= now || claims.xms_iat_ms <= revoked) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  /** Makes every token issued so far for `audience` count as expired. */
  expireAll(audience: string): void {
    this.revokedBefore.set(audience, Date.now());
  }

  private sign(data: string): string {
    return createHmac('sha256', this.signingKey).update(data).digest('base64url');
  }
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
