import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { CompanyForm } from "@/components/companies/company-form";
import { Card, PageHeader } from "@/components/ui";
import { env } from "@/lib/env";
import { requirePermission } from "@/lib/session";
import { createCompanyAction } from "../actions";

export const metadata: Metadata = { title: "New company" };

export default async function NewCompanyPage() {
  await requirePermission("companies.manage");
  return (
    <>
      <PageHeader title="New company" description="A customer company; add its addresses and users afterwards." />
      <Card>
        <CompanyForm
          action={createCompanyAction}
          idempotencyKey={randomUUID()}
          defaults={{
            name: "",
            taxId: "",
            paymentTermsDays: "30",
            creditLimit: "0.00",
            currency: env().DEFAULT_CURRENCY,
            timeZone: "UTC",
            active: true,
          }}
        />
      </Card>
    </>
  );
}
