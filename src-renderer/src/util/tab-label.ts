/** A short name for a tab: the URL's host and path, without the scheme; "New tab" when empty. */
export function tabLabel(url: string): string {
  const trimmed = url.trim();
  if (trimmed === '') return 'New tab';
  try {
    const parsed = new URL(trimmed);
    const path = parsed.pathname === '/' ? '' : parsed.pathname;
    return `${parsed.host}${path}` || trimmed;
  } catch {
    return trimmed;
  }
}
