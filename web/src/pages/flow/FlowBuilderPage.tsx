import { PageHeader } from "../../components/Status";

// Placeholder until this page is built.
export function FlowBuilderPage() {
  return <PageHeader title="FlowBuilderPage" />;
}
