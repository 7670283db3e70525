import { PageHeader } from "../../components/Status";

// Placeholder until this page is built.
export function AgentsPage() {
  return <PageHeader title="AgentsPage" />;
}
