/** How narrators reach the archive (ARCHIVE_CONTACT, injected by the server as a meta tag); null when not configured. */
export function archiveContact(): string | null {
  if (typeof document === 'undefined') return null;
  const value = document.querySelector('meta[name="schichtbuch-contact"]')?.getAttribute('content')?.trim();
  return value ? value : null;
}
