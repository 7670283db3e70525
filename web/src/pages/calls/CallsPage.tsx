import { PageHeader } from "../../components/Status";

// Placeholder until this page is built.
export function CallsPage() {
  return <PageHeader title="CallsPage" />;
}
