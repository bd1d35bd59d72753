// HTML escaping for every value interpolated into a page.
const MAP: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

export function esc(value: string | number | boolean | null | undefined): string {
  return String(value ?? "").replace(/[&<>"'`]/g, (c) => MAP[c]);
}
