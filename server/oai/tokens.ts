// Stateless resumption tokens: the harvest's arguments and the position after the last record sent (datestamp + id,
// so records added or changed meanwhile neither shift nor repeat a page), signed with an HMAC. Nothing is kept on the
// server; a token that was altered, truncated or made for another verb is a badResumptionToken.
import crypto from 'node:crypto';
import { z } from 'zod';

const tokenPayload = z
  .object({
    v: z.literal(1),
    /** r = ListRecords, i = ListIdentifiers */
    verb: z.enum(['r', 'i']),
    prefix: z.string().min(1).max(40),
    set: z.string().max(200).optional(),
    from: z.string().max(20).optional(),
    until: z.string().max(20).optional(),
    /** records sent before the next page */
    cursor: z.number().int().min(0),
    /** position after the last record sent: its full datestamp and its id */
    afterStamp: z.string().max(40),
    afterId: z.string().max(80),
  })
  .strict();

export type ResumptionState = z.output<typeof tokenPayload>;

export class ResumptionTokens {
  constructor(private readonly key: Buffer) {}

  private mac(body: string): string {
    return crypto.createHmac('sha256', this.key).update(body).digest('base64url').slice(0, 27);
  }

  encode(state: ResumptionState): string {
    const body = Buffer.from(JSON.stringify(tokenPayload.parse(state))).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The state a token carries, or null when it is not one of ours exactly as we issued it. */
  decode(token: string): ResumptionState | null {
    const m = /^([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{27})$/.exec(token);
    if (!m) return null;
    const [, body, mac] = m as unknown as [string, string, string];
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
    try {
      const parsed = tokenPayload.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
}
