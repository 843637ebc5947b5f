"use client";

import { SubmitButton } from "@/components/ui";

/** Disabled while its form submits (no double submits); names what it marks for screen readers. */
export function MarkReadButton({ label, srSuffix }: { label: string; srSuffix?: string }) {
  return (
    <SubmitButton variant="secondary" size="sm" pendingLabel="Marking…">
      {label}
      {srSuffix && <span className="sr-only">: {srSuffix}</span>}
    </SubmitButton>
  );
}
