// cvss_bench.mjs: how fast the npm package ae-cvss-calculator (1.0.13) parses and
// scores CVSS vectors, the yardstick of bench/cvss_bench.c.
//
//   node bench/cvss_bench.mjs [--seconds S] FILE...
//
// FILE holds one vector per line, all of one version (bench/cvss.sh makes them). For
// each file the vectors are read into memory, the first 2,000 are scored once to let
// the JIT compile, then the file is scored in order, from the top again when it is
// done, in five windows of S/5 seconds (S default 5); the best window's rate counts.
// A slow version (v4.0) measures a prefix of the file. Prints one line per file:
// "VERSION VECTORS_PER_SECOND FILE (N vectors scored, ...)".
//
// What is timed is the library's documented use: new CvssX(vector) then, for v2.0
// and v3.x, calculateScores() (base, temporal, environmental and sub scores); for
// v4.0 calculateOverallScore(), the one score keikai computes (calculateScores()
// would also score three reduced copies of the vector and be ~3 times slower).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
let ae;
try {
	ae = require(path.join(here, '../node_modules/ae-cvss-calculator'));
} catch {
	ae = require('ae-cvss-calculator');
}

const args = process.argv.slice(2);
let seconds = 5;
if (args[0] === '--seconds') {
	seconds = Number(args[1]);
	args.splice(0, 2);
}
if (!args.length || !(seconds > 0)) {
	console.error('usage: node bench/cvss_bench.mjs [--seconds S] FILE...');
	process.exit(2);
}

function scorer(vector) {
	if (vector.startsWith('CVSS:4.0/')) return ['4.0', (v) => new ae.Cvss4P0(v).calculateOverallScore()];
	if (vector.startsWith('CVSS:3.1/')) return ['3.1', (v) => new ae.Cvss3P1(v).calculateScores().overall];
	if (vector.startsWith('CVSS:3.0/')) return ['3.0', (v) => new ae.Cvss3P0(v).calculateScores().overall];
	return ['2.0', (v) => new ae.Cvss2(v).calculateScores().overall];
}

for (const file of args) {
	const vectors = readFileSync(file, 'utf8').split('\n').filter((l) => l.length);
	if (!vectors.length) {
		console.error(`cvss_bench.mjs: no vectors in ${file}`);
		process.exit(1);
	}
	const [version, score] = scorer(vectors[0]);
	let sum = 0;
	for (let i = 0; i < Math.min(2000, vectors.length); i++) sum += score(vectors[i]);
	// five windows of S/5 seconds, each going on through the file from where the
	// last one stopped; the best window counts
	let n = 0;
	let best = 0;
	for (let w = 0; w < 5; w++) {
		let k = 0;
		const t0 = process.hrtime.bigint();
		for (;;) {
			sum += score(vectors[n % vectors.length]);
			n++;
			k++;
			if ((k & 15) === 0) {
				const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
				if (elapsed >= seconds / 5) {
					best = Math.max(best, k / elapsed);
					break;
				}
			}
		}
	}
	console.log(`v${version} ${best.toFixed(0)} ${file} (${n} vectors scored, best of 5 windows, checksum ${sum.toFixed(1)})`);
}
