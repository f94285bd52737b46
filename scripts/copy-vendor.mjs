// Copy front-end packages from node_modules into static/vendor (not committed).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "static", "vendor");
mkdirSync(vendor, { recursive: true });

const files = [
  // htmx: partial page updates from HTML attributes.
  ["node_modules/htmx.org/dist/htmx.min.js", "htmx.min.js"],
];
for (const [source, target] of files) {
  copyFileSync(join(root, source), join(vendor, target));
  console.log(`static/vendor/${target}`);
}
