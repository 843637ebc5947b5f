import { DateTime } from "@/components/lists/date-time";
import { Badge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { OrderDetail } from "@/db/queries/orders";
import { stepLabels } from "./order-status";

/** Why the order needs which approvals, and the decisions given so far. */
export function ApprovalsSummary({ detail, timeZone }: { detail: OrderDetail; timeZone: string }) {
  const { order, approvals } = detail;
  const reasons = order.approvalReasons ?? [];
  const required = order.needsFinanceApproval ? ["sales", "finance"] : ["sales"];
  const accepted = order.acceptedAt !== null;
  return (
    <div className="space-y-4">
      {accepted ? (
        <p className="text-sm text-slate-800" data-testid="approvals-required">
          Seller approvals required: {required.map((s) => stepLabels[s]).join(" + ")}
        </p>
      ) : (
        <p className="text-sm text-slate-600">No approvals yet: the customer has not accepted the quotation.</p>
      )}
      {reasons.length > 0 && (
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-800" data-testid="approval-reasons">
          {reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
      {approvals.length > 0 ? (
        <Table caption="Approvals given">
          <THead>
            <tr>
              <TH>Step</TH>
              <TH>Decision</TH>
              <TH>By</TH>
              <TH>When</TH>
              <TH>Comment</TH>
            </tr>
          </THead>
          <TBody>
            {approvals.map((a) => (
              <TR key={`${a.step}-${a.approverId}`} data-testid="approval-given">
                <TD>{stepLabels[a.step] ?? a.step}</TD>
                <TD>
                  <Badge tone={a.decision === "approved" ? "success" : "danger"}>{a.decision === "approved" ? "Approved" : "Rejected"}</Badge>
                </TD>
                <TD>{a.approverName}</TD>
                <TD className="whitespace-nowrap"><DateTime value={a.decidedAt} timeZone={timeZone} /></TD>
                <TD className="whitespace-pre-line">{a.comment || "—"}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : (
        accepted && <p className="text-sm text-slate-600">No approval has been given yet.</p>
      )}
    </div>
  );
}
