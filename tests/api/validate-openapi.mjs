// Validates an OpenAPI 3.1 document (core/api/openapi.json, or the one the API serves) against the
// official OpenAPI 3.1 schema, with @seriousme/openapi-schema-validator, for the API's tests.
//   node validate-openapi.mjs FILE
// Prints one JSON line: {"valid": bool, "errors": [...], "operations": [{"path", "method"}, ...]}.
// Exit 0 when valid, 1 when not, 2 on bad usage (no FILE, or one that cannot be read).
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const [file, ...extra] = process.argv.slice(2);
if (!file || extra.length > 0) {
    process.stderr.write("usage: node validate-openapi.mjs FILE\n");
    process.exit(2);
}
let text;
try {
    text = readFileSync(file, "utf8");
} catch (error) {
    process.stderr.write(`validate-openapi: cannot read ${file}: ${error.message}\n`);
    process.exit(2);
}

function finish(valid, errors, operations) {
    process.stdout.write(JSON.stringify({ valid, errors, operations }) + "\n");
    if (!valid)
        process.stderr.write(`validate-openapi: ${file} is not a valid OpenAPI document\n`);
    process.exit(valid ? 0 : 1);
}

let document;
try {
    document = JSON.parse(text);
} catch (error) {
    finish(false, [`not JSON: ${error.message}`], []);
}

const operations = [];
for (const [path, item] of Object.entries(document?.paths ?? {})) {
    for (const method of methods) {
        if (item && typeof item === "object" && item[method])
            operations.push({ path, method });
    }
}

const result = await new Validator().validate(document);
// The library reports a string for a document it cannot take, else Ajv's error objects.
const errors = result.valid ? [] : [result.errors ?? "invalid"].flat();
if (!document?.openapi?.startsWith?.("3.1."))
    errors.push(`openapi is ${JSON.stringify(document?.openapi)}, not 3.1.x`);

// The specification requires operationIds to be unique, which its schema cannot check.
const seen = new Map();
for (const { path, method } of operations) {
    const id = document.paths[path][method].operationId;
    if (id === undefined)
        continue;
    if (seen.has(id))
        errors.push(`operationId ${id} is used by ${seen.get(id)} and ${method} ${path}`);
    else
        seen.set(id, `${method} ${path}`);
}

finish(errors.length === 0, errors, operations);
