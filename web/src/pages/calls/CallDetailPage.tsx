import { PageHeader } from "../../components/Status";

// Placeholder until this page is built.
export function CallDetailPage() {
  return <PageHeader title="CallDetailPage" />;
}
