import clsx from "clsx";
import type { ReactNode } from "react";

export type CardProps = {
  title?: ReactNode;
  children: ReactNode;
  className?: string;
  /** An anchor for links to this card (scrolled to with a little room above it). */
  id?: string;
};

export function Card({ title, children, className, id }: CardProps) {
  return (
    <div id={id} className={clsx("rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6", id && "scroll-mt-4", className)}>
      {title && <h2 className="mb-4 text-lg font-semibold text-slate-900">{title}</h2>}
      {children}
    </div>
  );
}
