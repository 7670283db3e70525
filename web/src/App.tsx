import { Navigate, Route, Routes, useLocation } from "react-router-dom";
import { useApiKey } from "./auth/useSession";
import { Layout } from "./components/Layout";
import { SignInPage } from "./pages/SignInPage";
import { AgentsPage } from "./pages/agents/AgentsPage";
import { AgentEditPage } from "./pages/agents/AgentEditPage";
import { FlowBuilderPage } from "./pages/flow/FlowBuilderPage";
import { TestCallPage } from "./pages/testcall/TestCallPage";
import { CallsPage } from "./pages/calls/CallsPage";
import { CallDetailPage } from "./pages/calls/CallDetailPage";
import { PhoneNumbersPage } from "./pages/phone-numbers/PhoneNumbersPage";
import { AnalyticsPage } from "./pages/analytics/AnalyticsPage";
import { SettingsPage } from "./pages/settings/SettingsPage";

export function App() {
  const apiKey = useApiKey();
  const location = useLocation();
  if (!apiKey) {
    return (
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="*" element={<Navigate to="/sign-in" replace state={{ from: location.pathname }} />} />
      </Routes>
    );
  }
  return (
    <Routes>
      <Route path="/sign-in" element={<Navigate to="/agents" replace />} />
      <Route element={<Layout />}>
        <Route index element={<Navigate to="/agents" replace />} />
        <Route path="/agents" element={<AgentsPage />} />
        <Route path="/agents/new" element={<AgentEditPage />} />
        <Route path="/agents/:agentId" element={<AgentEditPage />} />
        <Route path="/agents/:agentId/flow" element={<FlowBuilderPage />} />
        <Route path="/agents/:agentId/test" element={<TestCallPage />} />
        <Route path="/test-call" element={<TestCallPage />} />
        <Route path="/calls" element={<CallsPage />} />
        <Route path="/calls/:callId" element={<CallDetailPage />} />
        <Route path="/phone-numbers" element={<PhoneNumbersPage />} />
        <Route path="/analytics" element={<AnalyticsPage />} />
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function NotFound() {
  return (
    <section className="page">
      <h1>Not found</h1>
      <p>There is no page at this address.</p>
    </section>
  );
}
