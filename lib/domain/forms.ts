import { z } from "zod";
import { isUuid } from "./ids";

// Shared zod pieces for HTML form input (everything arrives as strings).

export const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

export const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === "string" ? v.trim() : v ?? ""), z.string().max(max, `Use at most ${max} characters.`));

export const requiredText = (label: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z.string({ error: `${label} is required.` }).min(1, `${label} is required.`).max(max, `Use at most ${max} characters.`),
  );

export const emailField = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
  z.email({ error: "Enter a valid email address." }).max(320),
);

export const uuidField = (label: string) => z.string({ error: `Choose a valid ${label}.` }).refine(isUuid, `Choose a valid ${label}.`);
