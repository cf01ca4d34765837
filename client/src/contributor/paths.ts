// Where the contributor area lives. App.tsx mounts it at /mitarbeit/*; links inside use these absolute paths.
import { loginPath } from '../lib/paths.js';
export const BASE = '/mitarbeit';

export const contributorPaths = {
  home: BASE,
  newInterview: `${BASE}/interviews/neu`,
  interview: (id: string) => `${BASE}/interviews/${encodeURIComponent(id)}`,
  transcript: (id: string, mediaId: string) =>
    `${BASE}/interviews/${encodeURIComponent(id)}/medien/${encodeURIComponent(mediaId)}/transkript`,
  /** The printable letter for a review invitation just created (its code is in this tab's memory only). */
  invitationLetter: (id: string, invitationId: string) =>
    `${BASE}/interviews/${encodeURIComponent(id)}/einladung/${encodeURIComponent(invitationId)}`,
  /** The collections and their settings (automatic transcription on ingest). */
  collections: `${BASE}/sammlungen`,
  /** The audit log (admins). */
  auditLog: `${BASE}/protokoll`,
  /** The login page with a way back (only same-site paths are meant to be followed). */
  login: loginPath,
};
