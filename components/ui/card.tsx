import clsx from "clsx";
import type { ReactNode } from "react";

export type CardProps = {
  title?: ReactNode;
  children: ReactNode;
  className?: string;
};

export function Card({ title, children, className }: CardProps) {
  return (
    <div className={clsx("rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6", className)}>
      {title && <h2 className="mb-4 text-lg font-semibold text-slate-900">{title}</h2>}
      {children}
    </div>
  );
}
