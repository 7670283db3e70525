import { PageHeader } from "../../components/Status";

// Placeholder until this page is built.
export function TestCallPage() {
  return <PageHeader title="TestCallPage" />;
}
