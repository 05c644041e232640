#!/usr/bin/env node
// `npm run plan`: brings dist/ up to date (nothing to do on an unchanged checkout), then runs the
// compiled planner in this same process, so a plan costs one node start-up, not two.
"use strict";
const path = require("path");
// First, so that every module after it (the build check, the SDKs, the planner) compiles from V8's
// code cache. PLANNER_COMPILE_CACHE_DIR moves the cache (the benchmark's cold run starts from an
// empty one); PLANNER_COMPILE_CACHE=off compiles everything afresh.
if (process.env.PLANNER_COMPILE_CACHE !== "off") {
    const root = path.join(__dirname, "..");
    const dir = process.env.PLANNER_COMPILE_CACHE_DIR || path.join(root, ".cache", "v8");
    require("./compile-cache.js").enableCompileCache(path.join(dir, "planner.bin"), root);
}
require("./build.js").build();
require("../dist/planner/cli.js").runAsProcess();
