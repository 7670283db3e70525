import { PageHeader } from "../../components/Status";

// Placeholder until this page is built.
export function AnalyticsPage() {
  return <PageHeader title="AnalyticsPage" />;
}
