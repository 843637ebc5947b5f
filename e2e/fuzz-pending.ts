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

export type PendingExpectation = {
  id: string;
  /** Where the fix is expected to come from. */
  owner: string;
  why: string;
  matches: (f: FuzzFailure) => boolean;
};

// Empty: every hostile request the fuzzer sends is answered without a 5xx (malformed paths and
// cross-origin or undecodable action posts are refused by proxy.ts).
export const pendingExpectations: PendingExpectation[] = [];
