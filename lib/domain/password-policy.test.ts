import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-policy";

describe("passwordProblem", () => {
  it("refuses passwords shorter than 12 characters", () => {
    expect(passwordProblem("Xk9#mQ2$vL4")).toBe("Use at least 12 characters.");
  });

  it("refuses common passwords, also with padding", () => {
    expect(passwordProblem("qwerty123456")).toMatch(/too common/);
    expect(passwordProblem("password1234")).toMatch(/too common/);
    expect(passwordProblem("Football!!!!")).toMatch(/too common/);
  });

  it("refuses a repeated character and the email's name", () => {
    expect(passwordProblem("aaaaaaaaaaaaaa")).toMatch(/predictable/);
    expect(passwordProblem("jane.doe-secure-99", { email: "jane.doe@acme.test" })).toMatch(/email/);
  });

  it("accepts a long unpredictable password", () => {
    expect(passwordProblem("tangerine-rowboat-47-quartz")).toBeNull();
    expect(passwordProblem("demo-Passw0rd-2026")).toBeNull();
  });
});
