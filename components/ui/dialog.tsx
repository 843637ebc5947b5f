"use client";

import { useId, useRef, type MouseEvent, type ReactNode } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "./button";

export type DialogProps = {
  triggerLabel: ReactNode;
  title: ReactNode;
  /** A `<form method="dialog">` inside also closes it on submit. */
  children: ReactNode;
  triggerVariant?: ButtonVariant;
  triggerSize?: ButtonSize;
};

// Native <dialog> + showModal() gives focus trapping, Escape-to-close, inertness of the
// page and focus return to the trigger without extra code.
export function Dialog({ triggerLabel, title, children, triggerVariant = "secondary", triggerSize = "md" }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = () => ref.current?.close();

  function onBackdropClick(e: MouseEvent<HTMLDialogElement>) {
    // The inner wrapper covers the dialog box, so a click targeting <dialog> itself is the backdrop.
    if (e.target === e.currentTarget) close();
  }

  return (
    <>
      <Button type="button" variant={triggerVariant} size={triggerSize} onClick={() => ref.current?.showModal()}>
        {triggerLabel}
      </Button>
      <dialog
        ref={ref}
        aria-labelledby={titleId}
        onClick={onBackdropClick}
        className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-lg bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50"
      >
        <div className="p-4 sm:p-6">
          <div className="mb-4 flex items-start justify-between gap-4">
            <h2 id={titleId} className="text-lg font-semibold">
              {title}
            </h2>
            <Button type="button" variant="ghost" size="sm" onClick={close}>
              Close
            </Button>
          </div>
          {children}
        </div>
      </dialog>
    </>
  );
}
