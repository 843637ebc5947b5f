import { isValidElement, type ReactElement, type ReactNode } from "react";

// A static renderer for mail templates: host elements, function components without hooks, text.
// Why not react-dom/server (or @react-email/render, built on it): the job worker runs under the
// react-server condition (`npm run jobs` = tsx --conditions=react-server), where react-dom/server
// refuses to load ("not supported in React Server Components"). Mail templates need none of what
// React's renderer adds (no state, effects, suspense), so walking the element tree is enough, and
// the same tree yields the plain-text part: one template set, two renderings.

const VOID = new Set(["br", "hr", "img", "meta", "input", "link"]);
const ATTR: Record<string, string> = { className: "class", httpEquiv: "http-equiv", cellPadding: "cellpadding", cellSpacing: "cellspacing", htmlFor: "for" };
const UNITLESS = new Set(["fontWeight", "lineHeight", "opacity", "zIndex", "flex"]);

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function css(style: Record<string, string | number>): string {
  return Object.entries(style)
    .map(([k, v]) => `${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:${typeof v === "number" && !UNITLESS.has(k) ? `${v}px` : v}`)
    .join(";");
}

type Props = Record<string, unknown> & { children?: ReactNode };

/** Resolves function components (called with their props) down to host elements. */
function resolve(node: ReactNode): ReactNode {
  if (isValidElement(node) && typeof node.type === "function") return resolve((node.type as (p: unknown) => ReactNode)(node.props));
  return node;
}

function each(node: ReactNode, fn: (n: ReactNode) => string): string {
  if (Array.isArray(node)) return node.map((n) => each(n as ReactNode, fn)).join("");
  return fn(resolve(node));
}

/** The element as an HTML document string. */
export function toHtml(node: ReactNode): string {
  return each(node, (n) => {
    if (n === null || n === undefined || typeof n === "boolean") return "";
    if (typeof n === "string" || typeof n === "number") return escape(String(n));
    if (!isValidElement(n)) return "";
    const el = n as ReactElement<Props>;
    if (typeof el.type !== "string") return toHtml(el.props.children);
    const attrs = Object.entries(el.props)
      .filter(([k, v]) => k !== "children" && k !== "key" && v !== undefined && v !== null && v !== false)
      .map(([k, v]) => (k === "style" ? ` style="${escape(css(v as Record<string, string | number>))}"` : ` ${ATTR[k] ?? k}="${escape(String(v))}"`))
      .join("");
    const open = `<${el.type}${attrs}>`;
    return VOID.has(el.type) ? open : `${open}${toHtml(el.props.children)}</${el.type}>`;
  });
}

const BLOCK = new Set(["p", "h1", "h2", "h3", "tr", "div", "li"]);

/** The element as plain text: blocks on their own lines, links as "label: url", no head. */
export function toText(node: ReactNode): string {
  return textOf(node).replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim() + "\n";
}

function textOf(node: ReactNode): string {
  return each(node, (n) => {
    if (n === null || n === undefined || typeof n === "boolean") return "";
    if (typeof n === "string" || typeof n === "number") return String(n);
    if (!isValidElement(n)) return "";
    const el = n as ReactElement<Props>;
    if (el.type === "head" || el.type === "style") return "";
    const inner = textOf(el.props.children);
    if (el.type === "a") {
      const href = String(el.props.href ?? "");
      return inner.trim() === href ? href : `${inner}: ${href}`;
    }
    if (el.type === "hr") return "\n\n---\n\n";
    if (el.type === "h1") return `\n\n${inner.toUpperCase()}\n\n`;
    return typeof el.type === "string" && BLOCK.has(el.type) ? `\n\n${inner}\n\n` : inner;
  });
}
