import type { Metadata } from "next";
import Link from "next/link";
import { ApiReference } from "@/components/api-docs/api-reference";
import { PageHeader } from "@/components/ui";

export const metadata: Metadata = { title: "API reference" };

// Public (lib/domain/route-access.ts lets everyone in): the reference describes the API, it holds
// no data. Rendered from /api/v1/openapi.json, the document generated from the operations.
export default function ApiDocsPage() {
  return (
    <main className="mx-auto max-w-6xl px-4 py-8">
      <PageHeader
        title="API reference"
        description="The Orderly B2B REST API (/api/v1): every operation with its scope, parameters, answers and errors. Send an API key as Authorization: Bearer ok_… — customer administrators create keys under Account → API keys, administrators under Admin → API keys."
        actions={
          <a href="/api/v1/openapi.json" className="text-sm text-brand-700 hover:underline">
            OpenAPI document (JSON)
          </a>
        }
      />
      <ApiReference url="/api/v1/openapi.json" />
      <p className="mt-6 text-sm text-slate-600">
        <Link href="/" className="text-brand-700 hover:underline">
          Back to the app
        </Link>
      </p>
    </main>
  );
}
