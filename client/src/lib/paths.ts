/** The login page with a way back (only same-site paths are meant to be followed). */
export const loginPath = (next: string) => `/login?next=${encodeURIComponent(next)}`;
