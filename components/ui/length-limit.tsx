"use client";

import { useEffect, useState } from "react";

const count = new Intl.NumberFormat("en-GB");

/** What a field over its length limit says; null while the text fits. */
export function tooLongMessage(length: number, max: number): string | null {
  if (length <= max) return null;
  return `${count.format(length)} characters: use at most ${count.format(max)} (${count.format(length - max)} too many).`;
}

/**
 * A live message under a text field that has a length limit. The field carries no `maxLength`
 * attribute, because the browser would cut a long paste silently; instead this says how much is too
 * much while typing, and the server rejects the value with the same limit if it is sent anyway.
 */
export function LengthLimit({ id, targetId, max, quietUntilEdited = false }: { id: string; targetId: string; max: number; quietUntilEdited?: boolean }) {
  const [length, setLength] = useState(0);
  // After a submit the server's message ("Use at most … characters.") is already next to the field:
  // say it once, and count again only when the user edits the text.
  const [edited, setEdited] = useState(false);
  useEffect(() => {
    const el = document.getElementById(targetId);
    if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) return;
    const update = () => setLength(el.value.length);
    const onInput = () => {
      setEdited(true);
      update();
    };
    update();
    // React 19 resets a form after its action runs (to the submitted values, echoed back as defaults):
    // a new submit starts a new round, so re-read the text once the reset has happened.
    const onReset = () => {
      setEdited(false);
      requestAnimationFrame(update);
    };
    el.addEventListener("input", onInput);
    el.form?.addEventListener("reset", onReset);
    return () => {
      el.removeEventListener("input", onInput);
      el.form?.removeEventListener("reset", onReset);
    };
  }, [targetId]);
  const message = quietUntilEdited && !edited ? null : tooLongMessage(length, max);
  return (
    <p id={id} aria-live="polite" data-testid={`${targetId}-length`} className="text-sm text-red-700 empty:hidden">
      {message}
    </p>
  );
}
