// The printed letter that invites a narrator to review their interview: everything it shows, from the server's
// one-time answer (link token, short code, QR code as SVG). Pure, so the letter can be tested without a browser.
import type { CreatedInvitation } from '../types.js';

export interface LetterModel {
  narrator: string;
  interviewTitle: string;
  /** The full link (in the QR code too). */
  link: string;
  /** Where the short code is typed, e.g. https://archiv.example.org/durchsicht */
  codeUrl: string;
  /** The same without https://, as one types it. */
  codeUrlShort: string;
  /** The short code as the server wrote it (XXXX-XXXX-XX). */
  code: string;
  /** The code in groups of four (screen readers spell each group). */
  codeGroups: string[];
  expiresAt: string;
  /** Expiry as a long date in the letter's language, e.g. "14. Juli 2026". */
  expiresOn: string;
  /** The letter's date (when the invitation was made), as a long date. */
  writtenOn: string;
  /** The QR code as an <img> source (data:image/svg+xml;base64,…), or null when the server sent no usable SVG. */
  qrSrc: string | null;
}

/** Only a plain SVG document becomes an image source; it is never put into the page as markup. */
export function svgDataUri(svg: string): string | null {
  if (!/^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(svg)) return null;
  const bytes = new TextEncoder().encode(svg.trim());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** `…/durchsicht/<token>` → `…/durchsicht`. */
export function codeUrlOf(created: Pick<CreatedInvitation, 'link' | 'codeUrl'>): string {
  if (created.codeUrl) return created.codeUrl.replace(/\/+$/, '');
  return created.link.replace(/\/[^/]*$/, '');
}

export function letterModel(created: CreatedInvitation, interviewTitle: string, lang: 'de' | 'en'): LetterModel {
  const codeUrl = codeUrlOf(created);
  const locale = lang === 'en' ? 'en-GB' : 'de-DE';
  const long = (iso: string) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(d);
  };
  return {
    narrator: created.invitation.narrator,
    interviewTitle: created.interviewTitle ?? interviewTitle,
    link: created.link,
    codeUrl,
    codeUrlShort: codeUrl.replace(/^https?:\/\//, ''),
    code: created.code,
    codeGroups: created.code.split('-').filter(Boolean),
    expiresAt: created.invitation.expiresAt,
    expiresOn: long(created.invitation.expiresAt),
    writtenOn: long(created.invitation.createdAt),
    qrSrc: svgDataUri(created.qrSvg),
  };
}

/**
 * The one-time answers of this browser tab, kept in memory only (never in storage or the URL): the letter page reads
 * them; after a reload they are gone, as they should be.
 */
const created = new Map<string, { created: CreatedInvitation; interviewTitle: string }>();

export const letterStore = {
  put(value: CreatedInvitation, interviewTitle: string): void {
    created.set(value.invitation.id, { created: value, interviewTitle });
  },
  get(invitationId: string): { created: CreatedInvitation; interviewTitle: string } | undefined {
    return created.get(invitationId);
  },
  drop(invitationId: string): void {
    created.delete(invitationId);
  },
};
