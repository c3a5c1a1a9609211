// Reads a Prometheus text exposition (format 0.0.4, what GET /metrics answers) on standard input
// and parses it with parse-prometheus-text-format, for the API's tests.
//   node parse-metrics.mjs < metrics.txt
// Prints the parsed metric families as one JSON line. The library takes some malformed lines
// without a word ("garbage here" reads as a sample worth "here"), so every line is first checked
// against the format by the rules below; exit 1, the problems on standard error, when it is not
// well-formed.
import { readFileSync } from "node:fs";
import parse from "parse-prometheus-text-format";

const name = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const label = '[a-zA-Z_][a-zA-Z0-9_]*[ \\t]*=[ \\t]*"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const labels = `\\{[ \\t]*(?:${label}(?:[ \\t]*,[ \\t]*${label})*[ \\t]*,?[ \\t]*)?\\}`;
const value = "[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?Inf|NaN";
const sampleLine = new RegExp(
    `^(${name})[ \\t]*(${labels})?[ \\t]+(?:${value})(?:[ \\t]+-?[0-9]+)?[ \\t]*$`);
const typeLine = new RegExp(`^#[ \\t]+TYPE[ \\t]+(${name})[ \\t]+(counter|gauge|histogram|summary|untyped)[ \\t]*$`);
const helpLine = new RegExp(`^#[ \\t]+HELP[ \\t]+(${name})(?:[ \\t].*)?$`);
const otherKeyword = /^#[ \t]+(TYPE|HELP)(?:[ \t]|$)/;
const suffixes = { histogram: ["_bucket", "_sum", "_count"], summary: ["_sum", "_count"] };

// The problems of the text, each "line N: what"; empty when it is well-formed.
function check(text) {
    const problems = [];
    const types = new Map(); // family name -> type
    const helps = new Set();
    const finished = new Set(); // families whose group of lines has ended
    const sampled = new Set(); // families with a sample
    const series = new Set();
    const buckets = new Map(); // a histogram's series (labels but le) -> whether it has le="+Inf"
    let current = null; // the family of the lines being read
    const lines = text.split("\n");
    if (text.length > 0 && lines.at(-1) !== "")
        problems.push(`line ${lines.length}: the last line does not end with a line feed`);
    if (lines.at(-1) === "")
        lines.pop();
    const enter = (family, number) => {
        if (family === current)
            return;
        if (finished.has(family))
            problems.push(`line ${number}: ${family}'s lines are not all in one group`);
        if (current !== null)
            finished.add(current);
        current = family;
    };
    lines.forEach((line, index) => {
        const number = index + 1;
        if (/^[ \t]*$/.test(line))
            return;
        if (line.includes("\r")) {
            problems.push(`line ${number}: a carriage return (lines end with a line feed alone)`);
            return;
        }
        if (line.startsWith("#")) {
            let match;
            if ((match = typeLine.exec(line))) {
                const family = match[1];
                if (types.has(family))
                    problems.push(`line ${number}: a second TYPE line for ${family}`);
                else if (sampled.has(family))
                    problems.push(`line ${number}: ${family}'s TYPE line comes after its samples`);
                types.set(family, match[2]);
                enter(family, number);
            } else if ((match = helpLine.exec(line))) {
                if (helps.has(match[1]))
                    problems.push(`line ${number}: a second HELP line for ${match[1]}`);
                helps.add(match[1]);
                enter(match[1], number);
            } else if (otherKeyword.test(line)) {
                problems.push(`line ${number}: a malformed ${otherKeyword.exec(line)[1]} line: ${line}`);
            }
            return; // any other comment
        }
        const match = sampleLine.exec(line);
        if (!match) {
            problems.push(`line ${number}: not a sample (name{labels} value [timestamp]): ${line}`);
            return;
        }
        const sample = match[1];
        let family = types.has(sample) ? sample : null;
        for (const [type, endings] of Object.entries(suffixes)) {
            for (const ending of endings) {
                const base = sample.slice(0, -ending.length);
                if (family === null && sample.endsWith(ending) && types.get(base) === type)
                    family = base;
            }
        }
        if (family === null) {
            problems.push(`line ${number}: ${sample} has no TYPE line before it`);
            return;
        }
        enter(family, number);
        sampled.add(family);
        const pairs = [...(match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)[ \t]*=[ \t]*"((?:[^"\\\n]|\\[\\"n])*)"/g)]
            .map(([, key, text]) => [key, text]);
        const keys = pairs.map(([key]) => key);
        if (new Set(keys).size !== keys.length)
            problems.push(`line ${number}: a label given twice`);
        const key = sample + JSON.stringify(pairs.sort());
        if (series.has(key))
            problems.push(`line ${number}: the same series twice: ${line}`);
        series.add(key);
        if (types.get(family) === "histogram" && sample === `${family}_bucket`) {
            const le = pairs.find(([k]) => k === "le");
            const others = family + JSON.stringify(pairs.filter(([k]) => k !== "le"));
            if (!le)
                problems.push(`line ${number}: a histogram bucket without an le label`);
            buckets.set(others, buckets.get(others) === true || le?.[1] === "+Inf");
        }
        if (types.get(family) === "histogram" && sample === family)
            problems.push(`line ${number}: ${sample} is a histogram: its samples are _bucket, _sum and _count`);
    });
    for (const [others, hasInf] of buckets) {
        if (!hasInf)
            problems.push(`the histogram series ${others} has no le="+Inf" bucket`);
    }
    return problems;
}

const text = readFileSync(0, "utf8");
const problems = check(text);
if (problems.length > 0) {
    process.stderr.write(`parse-metrics: not a valid Prometheus text exposition:\n${problems.join("\n")}\n`);
    process.exit(1);
}
let families;
try {
    families = parse(text);
} catch (error) {
    process.stderr.write(`parse-metrics: ${error.message}\n`);
    process.exit(1);
}
process.stdout.write(JSON.stringify(families) + "\n");
