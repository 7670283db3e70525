import { fakeApi, json, problem, requests } from "../components/forms/testing/fakeApi";
import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { renderPage } from "../components/forms/testing/renderPage";
import { SignInPage } from "./SignInPage";
import { currentApiKey, signIn, takeKeyFromLocation } from "../auth/session";
import { renderRoutes } from "../test/dataRouter";
import { routes } from "../App";

const goodKey = "vox_good_key_0123456789";

beforeEach(() => {
  fakeApi({
    "GET /api/agents": (request) =>
      request.headers.get("Authorization") === `Bearer ${goodKey}`
        ? json([])
        : problem(401, "invalid_api_key", "the API key is not valid"),
  });
});

test("a wrong key shows the API's message and keeps the browser signed out", async () => {
  renderPage(<SignInPage />, { url: "/sign-in", path: "/sign-in" });
  await userEvent.type(screen.getByLabelText("API key"), "vox_wrong_key_000000");
  await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("the API key is not valid");
  expect(currentApiKey()).toBeNull();
  expect(screen.getByLabelText("API key")).toHaveValue("vox_wrong_key_000000");
});

test("a good key is checked with the API, kept for the session, and opens the agents", async () => {
  renderPage(<SignInPage />, { url: "/sign-in", path: "/sign-in" });
  await userEvent.type(screen.getByLabelText("API key"), `  ${goodKey} `);
  await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
  await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/agents"));
  expect(currentApiKey()).toBe(goodKey);
  expect(requests[0].headers.get("Authorization")).toBe(`Bearer ${goodKey}`);
});

test("the link scripts/run prints signs in from the fragment and removes the key from the address", () => {
  window.history.replaceState(null, "", `/agents#key=${goodKey}`);
  expect(takeKeyFromLocation(window.location, window.history)).toBe(true);
  expect(currentApiKey()).toBe(goodKey);
  expect(window.location.hash).toBe("");
  expect(window.location.pathname).toBe("/agents");
});

test("in the whole app, a wrong key leaves the sign-in form with its message (the app does not flip to the dashboard)", async () => {
  renderRoutes(routes, ["/agents"]);
  await userEvent.type(await screen.findByLabelText("API key"), "vox_wrong_key_000000");
  await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("the API key is not valid");
  expect(screen.getByLabelText("API key")).toHaveValue("vox_wrong_key_000000");
});

test("in the whole app, a signed-out browser is sent to the sign-in, and signing in goes on to the page it asked for", async () => {
  const { router } = renderRoutes(routes, ["/phone-numbers"]);
  await userEvent.type(await screen.findByLabelText("API key"), goodKey);
  expect(router.state.location.pathname).toBe("/sign-in");
  expect(router.state.location.state).toEqual({ from: "/phone-numbers" });
  await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
  await waitFor(() => expect(router.state.location.pathname).toBe("/phone-numbers"));
  expect(await screen.findByRole("heading", { name: "Phone numbers" })).toBeInTheDocument();
  expect(currentApiKey()).toBe(goodKey);
});

test("in the whole app, a signed-in browser at the sign-in goes to the agents, and signing out goes back to it", async () => {
  signIn(goodKey);
  const { router } = renderRoutes(routes, ["/sign-in"]);
  await waitFor(() => expect(router.state.location.pathname).toBe("/agents"));
  await userEvent.click(await screen.findByRole("button", { name: "Sign out" }));
  await waitFor(() => expect(router.state.location.pathname).toBe("/sign-in"));
  expect(router.state.location.state).toEqual({ from: "/agents" });
  expect(await screen.findByLabelText("API key")).toBeInTheDocument();
});

test("in the whole app, the root address opens the agents and an unknown one says so", async () => {
  signIn(goodKey);
  const { router } = renderRoutes(routes, ["/"]);
  await waitFor(() => expect(router.state.location.pathname).toBe("/agents"));
  await act(() => router.navigate("/no-such-page"));
  expect(await screen.findByRole("heading", { name: "Not found" })).toBeInTheDocument();
});
