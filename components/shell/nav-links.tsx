"use client";

import clsx from "clsx";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";

export type NavItem = {
  href: string;
  label: string;
  /** A figure shown beside the label, e.g. the cart's product count: `text` is seen, `label` is read out. */
  badge?: { text: string; label: string; testId?: string };
  /** Also beside the menu button on narrow screens (the cart: one tap away, its count in sight). */
  shortcut?: boolean;
};

/** One main navigation per page, so a fixed id is unique. */
const LIST_ID = "main-nav-list";

const noSubscription = () => () => {};
/** False in the server render and while hydrating, true once React runs the page. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/**
 * The main navigation: a row of links from `lg`, a "Menu" disclosure below it (a phone has room
 * for three or four links, and staff have thirteen). One list serves both, so every link exists
 * once on the page and keeps its name for tests and assistive technology.
 *
 * The disclosure is a <button aria-expanded aria-controls> (what screen readers announce as a
 * menu button), not <details>: <summary> is not exposed as a button everywhere, and a closed
 * <details> cannot be shown as a plain row on wide screens. Without JavaScript (and before
 * hydration) the button is a link to the list's id instead, and `:target` shows the list: the
 * menu works with no script at all and needs no inline style or script under the nonce CSP.
 */
export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  const hydrated = useHydrated();
  // Open for the page it was opened on: any navigation (a link here, a form's redirect) closes it
  // without an effect watching the path.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const buttonRef = useRef<HTMLButtonElement>(null);
  const root = items[0]?.href;

  useEffect(() => {
    if (!open) return;
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== "Escape") return;
      setOpenOn(null);
      buttonRef.current?.focus();
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [open]);

  const toggleClass =
    "inline-flex items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50";

  return (
    <nav aria-label="Main" className="mx-auto max-w-6xl px-4 lg:px-2">
      <div className="flex items-center justify-between gap-2 pb-2 lg:hidden">
        {hydrated ? (
          <button ref={buttonRef} type="button" aria-expanded={open} aria-controls={LIST_ID} onClick={() => setOpenOn(open ? null : pathname)} className={toggleClass}>
            <MenuIcon open={open} />
            Menu
          </button>
        ) : (
          <a href={`#${LIST_ID}`} className={toggleClass}>
            <MenuIcon open={false} />
            Menu
          </a>
        )}
        {items
          .filter((item) => item.shortcut)
          .map((item) => (
            <Link key={item.href} href={item.href} aria-label={accessibleName(item)} className="inline-flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100">
              <ItemLabel item={item} testIdSuffix="-shortcut" />
            </Link>
          ))}
      </div>
      <ul
        id={LIST_ID}
        className={clsx(
          "flex-col pb-2 lg:flex lg:flex-row lg:gap-1 lg:overflow-x-auto lg:pb-0 lg:whitespace-nowrap",
          hydrated ? (open ? "flex" : "hidden") : "hidden target:flex",
        )}
      >
        {items.map((item) => {
          const active = item.href === root ? pathname === item.href : pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                aria-label={accessibleName(item)}
                // A click on the current page's link changes no path; close the menu all the same.
                onClick={() => setOpenOn(null)}
                className={clsx(
                  "flex items-center gap-2 border-l-2 px-3 py-2.5 text-sm font-medium lg:inline-flex lg:border-b-2 lg:border-l-0 lg:py-2",
                  active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-700 hover:text-slate-900",
                )}
              >
                <ItemLabel item={item} />
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** "Cart, 2 products" for a link showing "Cart" and a "2"; none (the text names it) without a badge. */
function accessibleName(item: NavItem): string | undefined {
  return item.badge ? `${item.label}, ${item.badge.label}` : undefined;
}

/** The label and its badge, which the link's aria-label reads out in words. */
function ItemLabel({ item, testIdSuffix = "" }: { item: NavItem; testIdSuffix?: string }) {
  return (
    <>
      {item.label}
      {item.badge && (
        <span
          aria-hidden="true"
          data-testid={item.badge.testId && `${item.badge.testId}${testIdSuffix}`}
          className="rounded-full bg-brand-600 px-1.5 py-0.5 text-xs leading-none font-semibold text-white tabular-nums"
        >
          {item.badge.text}
        </span>
      )}
    </>
  );
}

function MenuIcon({ open }: { open: boolean }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
      {open ? <path d="M5 5l10 10M15 5L5 15" /> : <path d="M3 5h14M3 10h14M3 15h14" />}
    </svg>
  );
}
