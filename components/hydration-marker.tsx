"use client";

import { useEffect } from "react";

/**
 * Sets `data-hydrated` on <html> once React has hydrated the page. On a freshly started server a
 * click can land before hydration and be lost; end-to-end tests wait for this attribute after a
 * full page load (e2e/fixtures.ts `gotoHydrated`) instead of waiting for the network to go idle,
 * which never settles reliably on a busy machine.
 */
export function HydrationMarker() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return null;
}
