import { PageHeader } from "../../components/Status";

// Placeholder until this page is built.
export function AgentEditPage() {
  return <PageHeader title="AgentEditPage" />;
}
