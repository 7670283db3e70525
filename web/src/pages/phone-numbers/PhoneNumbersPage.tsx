import { PageHeader } from "../../components/Status";

// Placeholder until this page is built.
export function PhoneNumbersPage() {
  return <PageHeader title="PhoneNumbersPage" />;
}
