import { PageHeader } from "../../components/Status";
import { ApiKeysSection } from "./ApiKeysSection";
import { ProvidersSection } from "./ProvidersSection";
import "./settings.css";

/** /settings: API keys, and the providers voxd has loaded. */
export function SettingsPage() {
  return (
    <section className="page settings-page">
      <PageHeader title="Settings" />
      <ApiKeysSection />
      <ProvidersSection />
    </section>
  );
}
