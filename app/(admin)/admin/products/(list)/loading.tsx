import { TableSkeleton } from "@/components/lists/table-skeleton";
import { PageHeader } from "@/components/ui";

// Shown while the product list's page renders. It sits in the (list) route group so it never wraps
// a product page, whose notFound() must still answer 404 (a started stream is always a 200).
export default function ProductsLoading() {
  return (
    <>
      <PageHeader title="Products" description="The catalogue with stock levels. Available is on hand minus what open orders reserve." />
      <TableSkeleton label="products" />
    </>
  );
}
