// Starts a real voxd for the browser tests: its own data directory, a free API
// port (--port 0 with --port-file), a free web-call transport port, an admin
// bootstrap key, and the built dashboard (web/dist) as its web root.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, createWriteStream, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const webDir = resolve(fileURLToPath(new URL("../..", import.meta.url)));

export function voxdBinary() {
  const binary = process.env.VOXD ?? resolve(webDir, "../build/dev/bin/voxd");
  if (!existsSync(binary)) throw new Error(`voxd not found at ${binary}: build it (scripts/test) or set VOXD`);
  return binary;
}

async function waitFor(check, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** A running voxd; `stop()` ends it and removes its data unless the test failed (then the log stays). */
export async function startVoxd({ logDir } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "vox-web-e2e-"));
  const portFile = join(dataDir, "port");
  const apiKey = `vox_e2e_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const logPath = join(logDir ?? dataDir, "voxd.log");
  const log = createWriteStream(logPath);
  const child = spawn(
    voxdBinary(),
    [
      "--port", "0",
      "--port-file", portFile,
      "--set", `data.dir=${dataDir}`,
      "--set", "provider.transport.websocket.port=0",
      "--set", `http.web_root=${join(webDir, "dist")}`,
    ],
    { env: { ...process.env, VOX_BOOTSTRAP_API_KEY: apiKey }, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on("exit", (code, signal) => (exited = { code, signal }));

  const port = await waitFor(
    () => {
      if (exited) throw new Error(`voxd exited early (${JSON.stringify(exited)}); see ${logPath}`);
      if (!existsSync(portFile)) return null;
      const text = readFileSync(portFile, "utf8").trim();
      return text ? Number(text) : null;
    },
    "voxd's port file",
    30_000,
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${baseUrl}/healthz`).catch(() => null))?.ok, "voxd /healthz", 30_000);

  async function api(method, path, body) {
    const response = await fetch(baseUrl + path, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  return {
    baseUrl,
    apiKey,
    logPath,
    api,
    async stop({ keepData = false } = {}) {
      if (!exited) {
        child.kill("SIGTERM");
        await waitFor(() => exited, "voxd to stop", 20_000).catch(() => child.kill("SIGKILL"));
      }
      log.end();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
