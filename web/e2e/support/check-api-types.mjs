// Fails when web/src/api/schema.d.ts is not what openapi-typescript makes of
// docs/openapi.json today (run `npm run gen:api` and commit the result).
import { execFileSync } from "node:child_process";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const scratch = mkdtempSync(join(tmpdir(), "vox-api-types-"));
try {
  const fresh = join(scratch, "schema.d.ts");
  execFileSync("npx", ["--no-install", "openapi-typescript", "../docs/openapi.json", "-o", fresh], { stdio: "pipe" });
  if (readFileSync(fresh, "utf8") !== readFileSync("src/api/schema.d.ts", "utf8")) {
    console.error("web/src/api/schema.d.ts is out of date with docs/openapi.json: run `cd web && npm run gen:api`");
    process.exit(1);
  }
  console.log("web/src/api/schema.d.ts matches docs/openapi.json");
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
