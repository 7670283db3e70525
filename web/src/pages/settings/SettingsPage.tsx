import { PageHeader } from "../../components/Status";

// Placeholder until this page is built.
export function SettingsPage() {
  return <PageHeader title="SettingsPage" />;
}
