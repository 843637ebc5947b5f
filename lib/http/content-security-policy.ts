/**
 * The Content-Security-Policy of an HTML page (proxy.ts sets it per request; next.config.ts
 * sends STATIC_CSP on everything else). Scripts run only with this request's nonce: Next reads
 * the nonce from the policy on the request and puts it on its own inline bootstrap scripts and
 * script tags, and 'strict-dynamic' lets those load the page's chunks. Styles are Tailwind's
 * built CSS file plus the inline <style> tags Next writes with the nonce, so no 'unsafe-inline'.
 * `next dev` needs 'unsafe-eval' (React rebuilds server error stacks with eval in development) and
 * inline styles for its overlay; production gets neither.
 */
export function pageCsp(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // next dev's overlay (next-devtools) injects <style> tags without the nonce; with a nonce in
    // the list browsers ignore 'unsafe-inline', so development lists 'unsafe-inline' alone.
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Everything that is not a page (route handlers incl. PDFs, /_next static files, public files):
 * nothing there is HTML that runs scripts, so the policy only forbids framing, plugins and
 * base/form redirection. Every directive also appears, as strict, in pageCsp.
 */
export const STATIC_CSP = "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'";

/** 128 random bits, base64: a fresh nonce for each page response. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
