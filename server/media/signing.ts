// Signed, short-lived media URLs for interviews that anonymous visitors may not see. The grant sits in the path
// (`/media/g/<grant>/<mediaId>/hls/master.m3u8`) so that the relative URLs inside HLS playlists inherit it. It names
// who it was issued to; every request re-runs the access check as that viewer, so a revoked invitation, a disabled
// account or a withdrawal stops a copied URL at once, and expiry stops it at the latest.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Viewer } from '../access/viewer.js';

export type GrantPrincipal = { kind: 'user'; id: string } | { kind: 'narrator'; id: string };

const GRANT = /^(\d{10})\.([un])~([0-9a-f-]{36})\.([A-Za-z0-9_-]{32})$/;

export class MediaUrlSigner {
  constructor(
    private readonly secret: Buffer,
    private readonly ttlSec: number,
    /** MEDIA_URL_MAX_TTL: no URL lives longer, however long its medium (a 10 h file must not mean a 10 h link). */
    private readonly maxTtlSec = Number.POSITIVE_INFINITY,
  ) {}

  /** Reads MEDIA_URL_SECRET, or a key generated once in DATA_DIR (0600), so URLs survive a restart. */
  static fromConfig(config: {
    MEDIA_URL_SECRET?: string | undefined;
    MEDIA_URL_TTL_SECONDS: number;
    MEDIA_URL_MAX_TTL?: number;
    dataDir: string;
  }): MediaUrlSigner {
    const maxTtl = config.MEDIA_URL_MAX_TTL ?? Number.POSITIVE_INFINITY;
    if (config.MEDIA_URL_SECRET)
      return new MediaUrlSigner(Buffer.from(config.MEDIA_URL_SECRET), config.MEDIA_URL_TTL_SECONDS, maxTtl);
    const file = path.join(config.dataDir, 'media-url.key');
    let key: Buffer;
    try {
      key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
    } catch {
      key = crypto.randomBytes(32);
      fs.mkdirSync(config.dataDir, { recursive: true });
      fs.writeFileSync(file, key.toString('hex'), { mode: 0o600, flag: 'wx' });
    }
    return new MediaUrlSigner(key, config.MEDIA_URL_TTL_SECONDS, maxTtl);
  }

  /** A key for another signing purpose (e.g. OAI-PMH resumption tokens), derived from this secret. */
  derivedKey(purpose: string): Buffer {
    return crypto.createHmac('sha256', this.secret).update(`schichtbuch:derived-key:${purpose}`).digest();
  }

  private sign(mediaId: string, exp: number, principal: string): string {
    return crypto
      .createHmac('sha256', this.secret)
      .update(`${mediaId}|${exp}|${principal}`)
      .digest('base64url')
      .slice(0, 32);
  }

  /** The path prefix for one medium and viewer; null for viewers a grant cannot name (anonymous). */
  grantFor(viewer: Viewer, mediaId: string, durationSec: number, now = Date.now()): string | null {
    const principal =
      viewer.kind === 'user' ? `u~${viewer.user.id}` : viewer.kind === 'narrator' ? `n~${viewer.invitation.id}` : null;
    if (!principal) return null;
    // long enough to play the medium through once (HLS fetches segments as it goes), short enough to stop sharing
    // whole minutes: the same viewer gets the same URL for a minute (browser caches hit, JSON answers stay equal)
    const exp =
      Math.ceil((Math.floor(now / 1000) + Math.min(this.ttlSec + Math.ceil(durationSec), this.maxTtlSec)) / 60) * 60;
    return `${exp}.${principal}.${this.sign(mediaId, exp, principal)}`;
  }

  /** Who a grant was issued to, if it is genuine, for this medium, and not expired. */
  verify(grant: string, mediaId: string, now = Date.now()): GrantPrincipal | null {
    const m = GRANT.exec(grant);
    if (!m) return null;
    const [, expText, kind, id] = m as unknown as [string, string, 'u' | 'n', string, string];
    const exp = Number(expText);
    if (exp * 1000 <= now) return null;
    // a grant reaching further than any this configuration issues (older, longer-lived settings) is not honoured
    if (exp * 1000 > now + this.maxTtlSec * 1000 + 61_000) return null;
    const expected = this.sign(mediaId, exp, `${kind}~${id}`);
    const given = Buffer.from(m[4]!);
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, Buffer.from(expected))) return null;
    return { kind: kind === 'u' ? 'user' : 'narrator', id };
  }
}

export function signedMediaUrl(grant: string, mediaId: string, file: string): string {
  return `/media/g/${grant}/${mediaId}/${file}`;
}
