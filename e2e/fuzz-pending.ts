// Known-pending expectations of e2e/fuzz.spec.ts, in ONE place: hostile requests that still fail
// the fuzzer's rules on this branch because the fix lives on another branch. A failure that
// matches an entry is reported (as "pending") but does not fail the run; PROBES_STRICT=1 fails on
// them too. When the fixing branch merges, delete its entry: the fuzzer then holds the fix. An
// entry that no longer matches anything is reported as "stale: remove it".

export type FuzzFailure = {
  target: string;
  /** The request path as sent (after percent-encoding). */
  path: string;
  status: number;
  contentType: string;
  body: string;
  /** What the case did, e.g. "malformed-path-segment". */
  mode: string;
  /** A raw body as sent, for protocol-level cases. */
  sent?: string;
};

/** Bodies that are not React's reply format at all: Next fails decoding them before any app code runs. */
const undecodable = new Set(["[", "garbage", '["$@99","$Q1","$Z"]', '{"a":1}', "{}", "a=1"]);

export type PendingExpectation = {
  id: string;
  /** Where the fix is expected to come from. */
  owner: string;
  why: string;
  matches: (f: FuzzFailure) => boolean;
};

export const pendingExpectations: PendingExpectation[] = [
  {
    id: "undecodable-server-action-payload",
    owner: "unassigned: framework (React's decodeReply in Next's action handler), no app code runs",
    why: "A server-action POST whose body is not React's reply format (\"[\" as text/plain, garbage multipart, references to parts that are not there) fails while Next decodes the arguments, before any action code runs: a 500 with an RSC error digest, no stack trace, nothing written (the write check still runs). Arguments that decode but are not a form ([1,2,3], [\"$K1\"]) are the app's to refuse (lib/action.ts notAForm) and are not covered by this entry.",
    matches: (f) => f.mode.startsWith("raw ") && !f.path.startsWith("/api/") && f.status >= 500 && undecodable.has(f.sent ?? ""),
  },
];
