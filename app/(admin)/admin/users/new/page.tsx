import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/ui";
import { UserForm } from "@/components/users/user-form";
import { listCompanyOptions } from "@/db/queries/companies";
import { db } from "@/db/client";
import { PASSWORD_MIN_LENGTH } from "@/lib/domain/password-policy";
import { requirePermission } from "@/lib/session";
import { createUserAction } from "../actions";

export const metadata: Metadata = { title: "New user" };

export default async function NewUserPage() {
  await requirePermission("users.manage");
  const companies = await listCompanyOptions(db);
  return (
    <>
      <PageHeader title="New user" description="Customer users belong to a company; staff (sales, finance, administrators) do not." />
      <Card>
        <UserForm
          action={createUserAction}
          companies={companies}
          idempotencyKey={randomUUID()}
          passwordHint={`At least ${PASSWORD_MIN_LENGTH} characters. Give it to the user through a safe channel.`}
        />
      </Card>
    </>
  );
}
