import clsx from "clsx";

export type FormResult = { ok: true; message?: string } | { ok: false; error: string } | null | undefined;

export function FormMessage({ result, className }: { result: FormResult; className?: string }) {
  if (!result) return null;
  const text = result.ok ? (result.message ?? "Saved successfully.") : result.error;
  return (
    <div
      role="status"
      className={clsx(
        "rounded-md border px-4 py-3 text-sm",
        result.ok ? "border-green-300 bg-green-50 text-green-800" : "border-red-300 bg-red-50 text-red-800",
        className,
      )}
    >
      {text}
    </div>
  );
}
